"""A fresh traveller as a browser and a wallet would be: its own key, its own EIP-4361 sign-in on
its own client, its own signed transactions; and the world around it (indexer, caretaker and
patrons, reward worker, both clocks) stepped by the test."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.wallets import own_wallet, sign_in_body
from chain.bindings import Suite
from chain.errors import ContractRevert
from chain.rpc import JsonRpcChain

TOKEN = 10**18
DONE = ("completed", "rewarded")


@dataclass(eq=False)
class Traveller:
    order: str
    client: Any
    suite: Suite
    account: Any
    referral_code: str = ""
    task_id: int | None = None
    agents: list[int] = field(default_factory=list)
    serial: int = 0

    @property
    def address(self) -> str:
        return self.account.address

    # -- the browser ---------------------------------------------------------------------------
    def get(self, path: str) -> dict[str, Any]:
        response = self.client.get(f"/api{path}")
        assert response.status_code == 200, (path, response.get_json())
        return response.get_json()

    def post(self, path: str, body: dict[str, Any] | None = None, ok: tuple[int, ...] = (200, 201)) -> Any:
        response = self.client.post(f"/api{path}", json=body or {})
        assert response.status_code in ok, (path, response.status_code, response.get_json())
        return response.get_json()

    def status(self, quest_id: str) -> str:
        return self.get(f"/quests/{quest_id}")["status"]

    def look(self, quest_id: str) -> None:
        """Open the quest's page in the log (it also reads the state the quest checks)."""
        self.get(f"/quests/{quest_id}")

    def accept(self, quest_id: str) -> None:
        self.post(f"/quests/{quest_id}/accept")

    def answer(self, quest_id: str, text: str) -> None:
        body = self.post(f"/quests/{quest_id}/answer", {"answer": text})
        assert body["correct"], body

    # -- the wallet ----------------------------------------------------------------------------
    def send(self, contract: str, fn: str, *args: Any) -> Any:
        return getattr(self.suite, contract).transact(self.address, fn, *args)

    def call(self, contract: str, fn: str, *args: Any) -> Any:
        return getattr(self.suite, contract).call(fn, *args)

    def send_raw(self, to: str, data: str) -> Any:
        return self.suite.token.tx.transact(self.address, to, bytes.fromhex(data.removeprefix("0x")))

    def balance(self) -> int:
        return self.suite.token.balance_of(self.address)

    def next_serial(self) -> int:
        self.serial += 1
        return self.serial


def sign_in(client: Any, account: Any, referral_code: str | None = None) -> dict[str, Any]:
    body = sign_in_body(client.get("/api/auth/nonce").get_json(), account, referral_code)
    response = client.post("/api/auth/verify", json=body)
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()


class World:
    """The app, its chain and the background loops, stepped by hand so the test is exact."""

    def __init__(self, app: Any, clock: Any, addresses: dict[str, str], rpc_url: str) -> None:
        from legends.workers.caretaker import build_caretaker
        from legends.workers.rewards import build_worker
        from legends.workers.verification import build_loop

        self.app, self.clock, self.addresses, self.rpc_url = app, clock, addresses, rpc_url
        self.rpc = JsonRpcChain(rpc_url)
        self.loop = build_loop(app, sink=app.extensions["legends.completion_sink"])
        self.caretaker = build_caretaker(app)
        self.worker = build_worker(app)
        self.npcs = app.test_client().get("/api/world/npcs").get_json()

    def traveller(self, order: str, referral_code: str | None = None) -> Traveller:
        account, suite = own_wallet(self.rpc_url, self.addresses)
        self.rpc.request("anvil_setBalance", [account.address, hex(10 * TOKEN)])  # gas money
        client = self.app.test_client()
        me = sign_in(client, account, referral_code)
        return Traveller(order, client, suite, account, me["referral_code"])

    def settle(self, world: bool) -> None:
        """Index what is new; let the caretaker and the patrons act (``world``); pay rewards."""
        while self.loop.step() is not None:
            pass
        if world:
            self.caretaker.tick()
            while self.loop.step() is not None:
                pass
        cycle = self.worker.run_once()
        assert not cycle.errors, cycle.errors

    def until(self, what: str, ready: Callable[[], bool], world: bool = True, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            assert time.monotonic() < deadline, f"waited {timeout:.0f} s for {what}"
            self.settle(world)

    def travel(self, **delta: float) -> None:
        self.clock.travel(**delta)


def votable(t: Traveller) -> int | None:
    """An open proposal the traveller's stake can vote on, newest first."""
    newest = int(t.call("governance", "proposalCount"))
    for proposal in range(newest, max(0, newest - 5), -1):
        if int(t.call("governance", "state", proposal)) != 0:
            continue
        snapshot = int(t.call("governance", "proposals", proposal)[1])
        if t.call("staking", "votingPowerAt", t.address, snapshot) and not t.call(
                "governance", "hasVoted", proposal, t.address):
            return proposal
    return None


def reverted(action: Callable[[], Any]) -> str | None:
    try:
        action()
    except ContractRevert as exc:
        return exc.error
    return None
