"""Rate limits, tried by exceeding each: nonces per client, failed sign-ins per client, faucet
claims per client address, per session and per wallet, agent invocations per player. Every
refusal is a 429 with ``Retry-After`` in the API's error shape."""

from __future__ import annotations

import pytest
from eth_account import Account
from rewards_api_support import sign_in
from test_sign_in import signed


def too_many(response, field: str | None = None) -> None:
    assert response.status_code == 429, (response.status_code, response.get_json())
    body = response.get_json()
    assert int(response.headers["Retry-After"]) >= 1 and body["retry_after"] >= 1
    assert body["error"] and body["field"] == field


def test_nonces_are_limited_per_client(make_app):
    client = make_app(RATE_LIMIT_NONCE="5/minute").test_client()
    assert all(client.get("/api/auth/nonce").status_code == 200 for _ in range(5))
    too_many(client.get("/api/auth/nonce"))
    other = client.get("/api/auth/nonce", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert other.status_code == 200


def test_failed_sign_ins_are_limited_per_client_and_good_ones_are_free(make_app):
    client = make_app(RATE_LIMIT_SIGN_IN_FAILURES="3/10 minutes").test_client()
    for _ in range(3):
        body, _ = signed(client, signer=Account.create())
        assert client.post("/api/auth/verify", json=body).status_code == 401
    body, _ = signed(client)  # even a good one now waits
    too_many(client.post("/api/auth/verify", json=body))
    fresh = make_app(RATE_LIMIT_SIGN_IN_FAILURES="3/10 minutes").test_client()
    for _ in range(5):  # successes do not count
        body, _ = signed(fresh)
        assert fresh.post("/api/auth/verify", json=body).status_code == 201


@pytest.mark.parametrize("setting", ["RATE_LIMIT_FAUCET_CLIENT", "RATE_LIMIT_FAUCET_SESSION",
                                     "RATE_LIMIT_FAUCET_WALLET"])
def test_faucet_claims_are_limited(make_app, setting):
    """The limit answers before the chain is asked (this app has none reachable)."""
    app = make_app(**{setting: "2/hour"})
    client = app.test_client()
    sign_in(client)
    for _ in range(2):
        assert client.post("/api/faucet").status_code != 429
    too_many(client.post("/api/faucet"), "address")


def test_fresh_wallets_from_one_address_share_the_faucets_client_limit(make_app):
    app = make_app(RATE_LIMIT_FAUCET_CLIENT="3/hour")
    answers = []
    for _ in range(5):
        client = app.test_client()
        sign_in(client)
        answers.append(client.post("/api/faucet"))
    assert [a.status_code == 429 for a in answers] == [False] * 3 + [True] * 2
    too_many(answers[-1], "address")


def test_agent_invocations_use_the_shared_limiter(make_app):
    app = make_app(AGENT_INVOKE_PER_MINUTE=2)
    client = app.test_client()
    sign_in(client)
    for _ in range(2):
        assert client.post("/api/agents/1/invoke", json={"input": "hi"}).status_code != 429
    too_many(client.post("/api/agents/1/invoke", json={"input": "hi"}), "agent_id")
    assert "legends.agent_limiter" not in app.extensions


def test_limits_live_in_redis_when_redis_url_is_set(make_app, redis_url):
    import uuid

    prefix = f"legends-test-{uuid.uuid4().hex[:8]}"
    one = make_app(REDIS_URL=redis_url, RATE_LIMIT_PREFIX=prefix, RATE_LIMIT_NONCE="3/minute")
    two = make_app(REDIS_URL=redis_url, RATE_LIMIT_PREFIX=prefix, RATE_LIMIT_NONCE="3/minute")
    assert [one.test_client().get("/api/auth/nonce").status_code for _ in range(2)] == [200, 200]
    assert two.test_client().get("/api/auth/nonce").status_code == 200
    too_many(two.test_client().get("/api/auth/nonce"))  # the second process sees the first's hits


def test_deployments_with_their_own_prefix_never_share_counters_in_one_redis(make_app, redis_url):
    """RATE_LIMIT_PREFIX keeps each deployment's counters apart (it once named only the
    decorated routes' keys: two deployments on one Redis used each other's nonces up)."""
    import uuid

    first, second = (make_app(REDIS_URL=redis_url, RATE_LIMIT_PREFIX=f"legends-test-{uuid.uuid4().hex[:8]}",
                              RATE_LIMIT_NONCE="2/minute") for _ in range(2))
    assert [first.test_client().get("/api/auth/nonce").status_code for _ in range(2)] == [200, 200]
    too_many(first.test_client().get("/api/auth/nonce"))
    assert [second.test_client().get("/api/auth/nonce").status_code for _ in range(2)] == [200, 200]
