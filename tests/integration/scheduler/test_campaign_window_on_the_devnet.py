"""A campaign's window on a real chain: the app's clock and the devnet's move together
(``tests/timetravel.py``), so a block's timestamp says when a player acted. A faucet claim
mined before the season opens does not count for its quest (not even once the season is
live), one mined inside the window completes it, and one mined after the season closed does
not count, even for a player who accepted the quest inside the window."""

from __future__ import annotations

from datetime import timedelta

import pytest
from admin_support import ADMIN_KEY, OTHER_KEY, PLAYER_KEY, account, csrf, sign_in
from netutil import free_port
from timetravel import TravelClock

from chain import artifacts
from chain.bindings import Suite
from chain.rpc import JsonRpcChain
from chain.txmanager import TxManager
from legends.scheduler import jobs
from legends.wiring.deploy import deploy_suite

FAUCET = "gate.faucet"
DONE = ("completed", "rewarded")


@pytest.fixture
def own_devnet(tmp_path_factory):
    """An anvil of its own: this test moves the chain's clock by days."""
    from chain.devnet import Devnet, DevnetConfig

    node = Devnet(DevnetConfig(instance_path=tmp_path_factory.mktemp("season-devnet"), port=free_port()))
    node.start()
    yield node
    node.stop()


def wallet(url: str, addresses: dict[str, str], key: str) -> tuple[str, Suite]:
    rpc = JsonRpcChain(url)
    rpc.request("anvil_setBalance", [account(key).address, hex(10**19)])  # gas money
    tx = TxManager(JsonRpcChain(url), artifacts.error_decoder())
    tx.add_signer(account(key))
    return account(key).address, Suite.bind(addresses, tx)


@pytest.mark.devnet
def test_an_on_chain_action_counts_inside_the_campaign_window_only(make_app, own_devnet):
    from legends.workers.verification import build_loop

    url = own_devnet.config.url
    app = make_app(CHAIN_RPC_URL=url, ADMIN_ADDRESSES=account(ADMIN_KEY).address)
    clock = TravelClock(JsonRpcChain(url))
    app.extensions["legends.clock"] = clock
    with app.app_context():
        manifest = deploy_suite(say=lambda _line: None)
    loop = build_loop(app, sink=app.extensions["legends.completion_sink"])
    jobs.bind(app)

    def settle() -> None:
        while loop.step() is not None:
            pass

    admin = app.test_client()
    sign_in(admin, ADMIN_KEY)
    admin.environ_base["HTTP_X_CSRF_TOKEN"] = csrf(admin)["X-CSRF-Token"]
    early, late = app.test_client(), app.test_client()
    sign_in(early, PLAYER_KEY)
    sign_in(late, OTHER_KEY)
    early_address, early_wallet = wallet(url, dict(manifest.addresses), PLAYER_KEY)
    late_address, late_wallet = wallet(url, dict(manifest.addresses), OTHER_KEY)

    start = clock.now() + timedelta(days=1)
    season = {"name": "Season of Wells", "starts_at": start.isoformat(),
              "ends_at": (start + timedelta(days=1)).isoformat(), "quests": [FAUCET]}
    created = admin.post("/api/admin/campaigns", json=season)
    assert created.status_code == 201, created.get_json()
    cid = created.get_json()["id"]
    assert admin.post(f"/api/admin/campaigns/{cid}/publish").status_code == 200

    def quest(client):  # type: ignore[no-untyped-def]
        return client.get(f"/api/quests/{FAUCET}").get_json()

    # Before the season: the claim is mined, the indexer keeps it, the quest stays shut.
    early_wallet.token.transact(early_address, "claim")
    settle()
    assert quest(early)["status"] == "locked"
    assert quest(early)["reason"].startswith("opens with Season of Wells")

    clock.travel(hours=25)  # both clocks, into the window; the scheduler's job opens it
    jobs.open_campaign(cid)
    settle()
    assert quest(early)["status"] == "available"  # the claim before the window did not count

    early_wallet.token.transact(early_address, "claim")  # the faucet's cooldown is an hour
    settle()
    inside = quest(early)
    assert inside["status"] in DONE, inside
    assert start <= clock.now() < start + timedelta(days=1)
    assert late.post(f"/api/quests/{FAUCET}/accept").status_code == 200  # pinned in the window

    clock.travel(days=1)  # past the end; the scheduler's job closes it
    jobs.close_campaign(cid)
    late_wallet.token.transact(late_address, "claim")
    settle()
    after = quest(late)  # accepted, but the claim's block is past the window: it does not count
    assert after["status"] == "in_progress" and not after["objectives"][0]["met"], after
