"""The soak's simulated players: each has a fresh wallet, signs in with EIP-4361 through the
HTTP API, and plays a mix of Gate and Oasis quests with its own signed transactions, as the
browser client would (``X-Requested-With`` and ``Origin`` on every request).

The mix, per player: the faucet (relayed claim, gas drip), the full waterskin (a state check
read when the quest page is opened), a Sahara ID minted from its own wallet, the Sphinx's
riddle (an answer), the daily check-in; every other player also labels three dunes on the
Oasis caravan's task; every third signs up with an earlier player's referral code.
Receipt -> completion is the time from the receipt of the quest's transaction to the player's
client seeing the quest completed (it polls the quest every ``POLL`` seconds).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import requests
from eth_utils import keccak

from bench.wallets import own_wallet, sign_in_body

POLL = 0.05
DONE = ("completed", "rewarded")
RIDDLE = "it reverts"


@dataclass
class Tally:
    """What every player did and saw (shared by the players' threads)."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    transactions: int = 0
    completions: Counter = field(default_factory=Counter)  # quest id -> completions seen
    latencies: dict[str, list[float]] = field(default_factory=dict)  # quest id -> seconds
    errors: list[str] = field(default_factory=list)
    finished: int = 0
    players: list[Player] = field(default_factory=list)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text[:300])


class Player:
    def __init__(self, base: str, rpc_url: str, addresses: dict[str, str], npcs: dict[str, Any],
                 index: int, tally: Tally, referral_code: str | None) -> None:
        self.base, self.index, self.tally, self.invited_by = base, index, tally, referral_code
        self.npcs = npcs
        self.account, self.suite = own_wallet(rpc_url, addresses)
        self.http = requests.Session()
        self.http.headers.update({"X-Requested-With": "legends", "Origin": base})
        self.referral_code: str | None = None
        self.done = threading.Event()

    @property
    def address(self) -> str:
        return self.account.address

    # -- the browser -------------------------------------------------------------------------
    def call(self, method: str, path: str, ok: tuple[int, ...] = (200, 201), **kwargs: Any) -> Any:
        try:
            response = self.http.request(method, f"{self.base}/api{path}", timeout=60, **kwargs)
        except requests.RequestException as exc:
            with self.tally.lock:
                self.tally.requests += 1
                self.tally.statuses["no answer"] += 1
            raise PlayError(f"{method} {path}: {type(exc).__name__}") from None
        with self.tally.lock:
            self.tally.requests += 1
            self.tally.statuses[response.status_code] += 1
        if response.status_code not in ok:
            raise PlayError(f"{method} {path} -> {response.status_code} {response.text[:160]}")
        return response.json()

    def quest(self, quest_id: str) -> dict[str, Any]:
        return self.call("GET", f"/quests/{quest_id}")

    def wait_done(self, quest_id: str, since: float | None, timeout: float = 90.0) -> None:
        """Poll the quest until it shows completed; record receipt -> completion from ``since``."""
        deadline = time.monotonic() + timeout
        while self.quest(quest_id)["status"] not in DONE:
            if time.monotonic() > deadline:
                raise PlayError(f"{quest_id} not completed within {timeout:.0f} s")
            time.sleep(POLL)
        seen = time.perf_counter()
        with self.tally.lock:
            self.tally.completions[quest_id] += 1
            if since is not None:
                self.tally.latencies.setdefault(quest_id, []).append(seen - since)

    # -- the wallet --------------------------------------------------------------------------
    def send(self, contract: str, fn: str, *args: Any) -> float:
        """Sign and send from the player's own wallet; returns when the receipt was seen."""
        getattr(self.suite, contract).transact(self.address, fn, *args)
        with self.tally.lock:
            self.tally.transactions += 1
        return time.perf_counter()

    # -- the play ----------------------------------------------------------------------------
    def play(self) -> None:
        try:
            self._play()
        except Exception as exc:  # counted, and the other players go on
            self.tally.error(f"player {self.index}: {type(exc).__name__}: {exc}")
        finally:
            with self.tally.lock:
                self.tally.finished += 1
            self.done.set()

    def _play(self) -> None:
        nonce = self.call("GET", "/auth/nonce")
        me = self.call("POST", "/auth/verify", json=sign_in_body(nonce, self.account, self.invited_by))
        self.referral_code = me["referral_code"]
        self.call("GET", "/quests")
        self.call("POST", "/quests/gate.faucet/accept")
        self.call("POST", "/faucet", ok=(201,), json={})
        self.wait_done("gate.faucet", time.perf_counter())  # the relayed claim's receipt came with the 201
        self.wait_done("gate.full-waterskin", None)  # read when its page is opened
        self.call("POST", "/quests/gate.sahara-id/accept")
        mined = self.send("identity", "mint", f"ipfs://soak/{self.address}")
        self.wait_done("gate.sahara-id", mined)
        judged = self.call("POST", "/quests/gate.soulbound-riddle/answer", json={"answer": RIDDLE})
        if not judged.get("correct"):
            raise PlayError(f"the riddle was judged wrong: {judged}")
        self.call("POST", "/checkin")
        self.wait_done("gate.daily-checkin", None)
        if self.index % 2 == 0:
            task = self.npcs["caravan"]["task_id"]
            self.call("POST", "/quests/oasis.first-labels/accept")
            for n in range(3):
                mined = self.send("data", "submitLabel", task, keccak(text=f"{self.address} dune {n}"))
            self.wait_done("oasis.first-labels", mined)
        self.call("GET", "/inventory")
        self.call("GET", "/leaderboard")

    def inventory(self) -> dict[str, Any]:
        return self.call("GET", "/inventory")


class PlayError(Exception):
    pass
