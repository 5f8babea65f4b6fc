"""In a real browser: an admin signs in with a wallet (a test key signs the EIP-4361
message), creates a campaign with two quests and a budget in their local time, publishes
it, and a player sees its quests open when the scheduler opens it."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from admin_support import ADMIN_KEY, PLAYER_KEY, account, sign
from netutil import free_port
from quest_game import FrozenClock
from sqlalchemy import select

from legends.scheduler.store import JobRun
from legends.wiring.catalog import load_quests

pytestmark = pytest.mark.browser

# A stand-in for a browser wallet (EIP-1193): accounts and personal_sign answered by Python.
WALLET = """
window.ethereum = {
  request: async ({ method, params }) => {
    if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [window.__address];
    if (method === 'personal_sign') return await window.testWalletSign(params[0]);
    throw new Error(`unsupported ${method}`);
  },
};
"""


def wallet_context(browser, key: str):  # type: ignore[no-untyped-def]
    context = browser.new_context(timezone_id="Europe/Paris", locale="en-GB")
    context.expose_function("testWalletSign", lambda text: sign(key, text))
    context.add_init_script(f"window.__address = '{account(key).address}';" + WALLET)
    return context


def test_an_admin_plans_a_campaign_and_a_player_sees_it_open(browser, serve, make_app):
    port = free_port()
    app = make_app(ADMIN_ADDRESSES=account(ADMIN_KEY).address, PUBLIC_URL=f"http://127.0.0.1:{port}")
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    clock = FrozenClock(datetime(2026, 11, 30, 12, 0, tzinfo=UTC))
    app.extensions["legends.clock"] = clock
    base = serve(app)

    admin = wallet_context(browser, ADMIN_KEY).new_page()
    admin.goto(f"{base}/admin/")
    admin.click("#sign-in")
    admin.wait_for_selector("h2:has-text('Campaigns')")

    admin.goto(f"{base}/admin/campaigns/new")
    admin.fill("input[name=name]", "Season of the Sphinx")
    admin.fill("input[name=starts_at]", "2026-12-01T01:00")  # Paris: midnight UTC
    admin.fill("input[name=ends_at]", "2026-12-15T01:00")
    admin.check("input[name=quests][value='gate.daily-checkin']")
    admin.check("input[name=quests][value='gate.faucet']")
    admin.fill("input[name=budget-shards]", "50")
    admin.click("#save")
    admin.wait_for_url(f"{base}/admin/campaigns/1")
    admin.click("[data-action=publish]")
    admin.wait_for_selector("#campaign-status:has-text('published')")
    opens = admin.locator("ol.calendar li").first
    assert "opens" in opens.inner_text() and "01:00" in opens.inner_text()  # shown in local time

    with app.extensions["legends.db"].sessions() as session:
        from quests.campaign_store import Campaign

        season = session.get(Campaign, 1)
        assert season.starts_at == datetime(2026, 12, 1, tzinfo=UTC)
        assert {q.quest_id for q in season.quests} == {"gate.daily-checkin", "gate.faucet"}
        assert {b.kind: b.cap for b in season.budgets} == {"shards": 50}

    player = wallet_context(browser, PLAYER_KEY).new_page()
    player.goto(f"{base}/map")
    player.evaluate("""async () => {
      const info = await (await fetch('/api/auth/nonce')).json();
      const [address] = await window.ethereum.request({ method: 'eth_requestAccounts' });
      const text = [`http://${info.domain} wants you to sign in with your Ethereum account:`, address, '',
        info.statement, '', `URI: ${info.uri}`, `Version: 1`, `Chain ID: ${info.chain_id}`,
        `Nonce: ${info.nonce}`, `Issued At: ${new Date().toISOString()}`].join('\\n');
      const signature = await window.ethereum.request({ method: 'personal_sign', params: [text, address] });
      const r = await fetch('/api/auth/verify', { method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'legends' },
        body: JSON.stringify({ message: text, signature }) });
      if (!r.ok) throw new Error(await r.text());
    }""")
    player.reload()
    def status(quest_id: str) -> str:  # the map's row of the quest carries its status as a class
        row = player.locator(f"li.quest[data-quest='{quest_id}']")
        return next(c for c in row.get_attribute("class").split() if c != "quest")

    assert status("gate.daily-checkin") == "locked"

    from apscheduler.executors.debug import DebugExecutor

    from legends.scheduler.runner import build_scheduler, start

    scheduler = build_scheduler(app, executor=DebugExecutor())
    start(app, scheduler)
    try:
        clock.at = datetime(2026, 12, 1, 0, 0, 5, tzinfo=UTC)
        scheduler.wakeup()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not opened(app):
            time.sleep(0.1)
        assert opened(app)
        player.reload()
        assert status("gate.daily-checkin") == "available" and status("gate.faucet") == "available"
    finally:
        scheduler.shutdown(wait=True)


def opened(app) -> bool:  # type: ignore[no-untyped-def]
    with app.extensions["legends.db"].sessions() as session:
        return session.scalar(select(JobRun.id).where(JobRun.job_id == "campaign:1:open",
                                                      JobRun.outcome == "done")) is not None
