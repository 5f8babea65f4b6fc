"""Browser tests: the whole game served on a free port (threaded server, its own devnet, the
suite deployed with its NPCs, the background workers running) and Debian's Chromium driven
by Playwright. Each test plays with fresh wallets, so the tests share one server."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from netutil import free_port

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TOKEN = 10**18

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):  # every test here drives the browser
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.devnet)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)  # the page fixture tells what the page said
    return report


@dataclass
class Game:
    url: str
    rpc_url: str
    app: Any
    clicks: list[str] = field(default_factory=list)

    def rpc(self, method: str, params: list[Any] | None = None) -> Any:
        answer = requests.post(self.rpc_url, json={"jsonrpc": "2.0", "id": 1, "method": method,
                                                   "params": params or []}, timeout=10).json()
        if "error" in answer:
            raise AssertionError(f"{method}: {answer['error']}")
        return answer["result"]

    def suite(self):  # type: ignore[no-untyped-def]
        from legends.wiring.inventory import chain_suite

        with self.app.app_context():
            return chain_suite()

    def npcs(self) -> dict[str, Any]:
        return requests.get(f"{self.url}/api/world/npcs", timeout=10).json()

    def finish(self, address: str, *quest_ids: str) -> None:
        """Record quests as done (to open a region) without playing them."""
        from datetime import UTC, datetime

        from sqlalchemy import select

        from quests.orm import Player
        from quests.store import QuestCompletion

        sessions = self.app.extensions["legends.db"].sessions
        with sessions.begin() as session:
            player_id = session.scalar(select(Player.id).where(Player.address == address))
            assert player_id is not None, f"{address} has not signed in"
            done = set(session.scalars(select(QuestCompletion.quest_id).where(
                QuestCompletion.player_id == player_id)))
            session.add_all(QuestCompletion(player_id=player_id, quest_id=q, period="once",
                                            completed_at=datetime.now(UTC), rule_version=1, evidence=[])
                            for q in quest_ids if q not in done)

    def open_region(self, address: str, region: str) -> None:
        from quests.world import REGIONS

        keys = [r.key for r in REGIONS]
        needed = set().union(*(r.unlock_after for r in REGIONS[:keys.index(region) + 1]))
        self.finish(address, *sorted(needed))

    def helper(self) -> str:
        """A dev account with gas that is no role of the suite (dev index 7), to act as
        another traveller."""
        from chain.accounts import dev_account

        with self.app.app_context():
            from legends.wiring.chainlink import get_chain

            return get_chain().tx.add_signer(dev_account(7))

    def deployer(self) -> str:
        with self.app.app_context():
            from legends.wiring.chainlink import get_chain

            return get_chain().signers.deployer.address

    def mint_shards(self, address: str, token_id: int, amount: int) -> None:
        """Shards straight from the minter role (the deployer holds it), as a reward would."""
        import secrets

        self.suite().shards.transact(self.deployer(), "mintBatch", [address], [token_id], [amount],
                                     secrets.token_bytes(32))

    def fund(self, address: str, sahara: int = 0, eth: int = 1) -> None:
        """Gas and SAHARA for a player (the deployer holds the minter role)."""
        self.rpc("anvil_setBalance", [address, hex(eth * TOKEN)])
        if sahara:
            suite = self.suite()
            with self.app.app_context():
                from legends.wiring.chainlink import get_chain

                deployer = get_chain().signers.deployer.address
            suite.token.transact(deployer, "mint", address, sahara * TOKEN)


@pytest.fixture(scope="package")
def game(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    from werkzeug.serving import make_server

    from chain.devnet import Devnet, DevnetConfig
    from legends import create_app, migrate
    from legends.wiring.deploy import deploy_suite
    from legends.workers import start_background

    home = tmp_path_factory.mktemp("e2e")
    node = Devnet(DevnetConfig(instance_path=home / "devnet", port=free_port()))
    node.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app({"ENV_NAME": "testing", "INSTANCE_PATH": str(home / "instance"), "DATABASE_URL": None,
                      "REDIS_URL": None, "CHAIN_RPC_URL": node.config.url, "PUBLIC_URL": url,
                      "CARETAKER_TICK_SECONDS": 0.5, "REWARD_IDLE_SECONDS": 0.3,
                      "AGENT_INVOKE_PER_MINUTE": 100})
    migrate.upgrade(app.extensions["legends.db"].url)
    with app.app_context():
        deploy_suite(lambda _line: None)
    stop_workers = start_background(app)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per request drowns the output
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-server", daemon=True)
    thread.start()
    try:
        yield Game(url=url, rpc_url=node.config.url, app=app)
    finally:
        server.shutdown()
        stop_workers()
        node.stop()


@pytest.fixture(scope="package")
def browser(game):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, game, request):
    """A fresh browser context (empty storage) whose console errors fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=game.url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    problems: list[str] = []
    logs: list[str] = []
    page.on("console", lambda msg: logs.append(f"{msg.type}: {msg.text}"))
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: problems.append(f"console: {msg.text}") if msg.type == "error"
            and "Content Security Policy" in msg.text else None)
    yield page
    failed = getattr(request.node, "report_call", None)
    if failed is not None and failed.failed:
        said = page.evaluate("() => [...document.querySelectorAll('.message, .toast')]"
                             ".map((m) => m.textContent.trim()).filter(Boolean)")
        print(f"\n{page.url} said: {said}\nconsole: {logs[-12:]}")
    context.close()
    assert not problems, problems


@pytest.fixture
def serve():
    """``serve(app)`` runs an app of the test's own (the admin test's, on a frozen clock) on
    127.0.0.1 at the port of its PUBLIC_URL; returns that URL."""
    from urllib.parse import urlparse

    from werkzeug.serving import make_server

    servers = []

    def start(app):  # type: ignore[no-untyped-def]
        port = urlparse(app.config["PUBLIC_URL"]).port
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return app.config["PUBLIC_URL"]

    yield start
    for server in servers:
        server.shutdown()
