"""Every answer carries the security headers: pages, API replies, errors; /api/docs keeps its
own, stricter policy."""

from __future__ import annotations

import pytest

STRICT = ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'",
          "base-uri 'self'"]


def directives(policy: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in policy.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", ["/", "/api/world", "/api/nowhere", "/api/me", "/healthz",
                                  "/api/openapi.json"])
def test_pages_and_api_answers_carry_the_headers(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    for directive in STRICT:
        assert directive in policy, (path, policy)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_connect_src_allows_our_origin_the_socket_and_the_rpc_origin_only(make_app):
    app = make_app(PUBLIC_URL="https://play.legends.example",
                   CHAIN_NETWORK="external", CHAIN_ID=1,
                   CHAIN_RPC_URL="https://user:secret@rpc.example:8443/v1/key?apikey=abc")
    policy = app.test_client().get("/api/nowhere").headers["Content-Security-Policy"]
    connect = directives(policy)["connect-src"]
    assert connect == ["'self'", "https://play.legends.example", "wss://play.legends.example",
                       "https://rpc.example:8443"]
    assert "secret" not in policy and "apikey" not in policy


def test_the_docs_page_keeps_its_own_policy(client):
    from legends.api.docs import CSP

    response = client.get("/api/docs")
    assert response.headers["Content-Security-Policy"] == CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
