"""The player's pages without a browser: every page in the base layout with its module, a
strict CSP and no inline script; token pages, the favicon, the transaction page's answers
when the chain is away, and /api/chain before a deploy."""

from __future__ import annotations

import re

import pytest

PAGES = ["/", "/map", "/quests", "/quests/gate.faucet", "/regions/gate", "/regions/oasis",
         "/regions/forge", "/regions/bazaar", "/regions/citadel", "/inventory", "/leaderboard",
         "/profile", "/tokens/1", "/tokens/101", "/tokens/1000"]


@pytest.fixture
def offline(make_app):
    from legends.wiring.catalog import load_quests

    app = make_app(CHAIN_RPC_URL="http://127.0.0.1:1", BROWSER_RPC_URL="http://127.0.0.1:8545")
    load_quests(app.extensions["legends.db"].sessions, say=lambda _line: None)
    return app.test_client()


@pytest.mark.parametrize("path", PAGES)
def test_each_page_loads_its_module_under_a_strict_csp(offline, path):
    page = offline.get(path)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe" not in policy
    assert "connect-src 'self' ws: wss: http://127.0.0.1:8545;" in policy
    html = page.get_data(as_text=True)
    assert re.search(r'<script type="module" src="/static/js/[\w/]+\.js"></script>', html)
    assert not re.search(r"<script>|<script [^>]*>[^<]", html), "an inline script"
    assert not re.search(r"\son[a-z]+=", html), "an inline handler"
    assert not re.search(r"\sstyle=", html), "an inline style"


def test_the_gate_is_open_to_an_anonymous_visitor(offline):
    html = offline.get("/map").get_data(as_text=True)
    assert 'class="place open"' in html and 'data-region="gate"' in html
    assert html.count('class="place sealed"') == 4


def test_token_pages_and_the_favicon(offline):
    page = offline.get("/tokens/101").get_data(as_text=True)
    assert "Guardian of The Gate" in page and "/art/101.svg" in page
    assert offline.get("/tokens/7").status_code == 404
    icon = offline.get("/favicon.ico")
    assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_the_transaction_page_says_what_it_cannot_read(offline):
    assert offline.get("/tx/0x1234").status_code == 404
    page = offline.get("/tx/0x" + "ab" * 32).get_data(as_text=True)
    assert "the chain cannot be read right now" in page


def test_api_chain_is_unavailable_until_the_suite_is_deployed(offline):
    answer = offline.get("/api/chain")
    assert answer.status_code == 503 and answer.get_json()["field"] == "chain"
