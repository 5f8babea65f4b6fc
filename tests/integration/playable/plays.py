"""One play script per quest of the shipped catalog: what a player does to finish it.

``PLAYS`` is keyed by quest id; the order of the entries is the walk's preferred order among
quests whose prerequisites are met (the test still orders the loaded catalog by its
prerequisites). A quest added to the catalog without an entry here fails
``test_every_quest_is_playable``.

A script acts for one traveller (``act(t, world, round)``); ``rounds`` repeats it, with both
clocks moved by ``travel`` between rounds; ``world`` lets the caretaker and the patrons act
while the quest is waited for (other steps keep them still, so that no quest is finished by
the world before the traveller who accepts first has pressed accept).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from eth_utils import keccak
from travellers import TOKEN, Traveller, World, votable

from quests.npcs.bazaar import STAR_MAP_URI

ZERO = "0x" + "00" * 20
Act = Callable[[Traveller, World, int], None]


@dataclass(frozen=True)
class Play:
    act: Act
    rounds: int = 1
    travel: dict[str, float] = field(default_factory=dict)
    world: bool = False


def nothing(t: Traveller, w: World, r: int) -> None:
    """A state quest: what the wallet holds already says it all."""


def answer(text: str) -> Act:
    def act(t: Traveller, w: World, r: int) -> None:
        t.answer(w.quest_id, text)
    return act


def craft(guardian: int) -> Act:
    def act(t: Traveller, w: World, r: int) -> None:
        t.send("shards", "craft", guardian)
    return act


def claim(t: Traveller, w: World, r: int) -> None:
    t.send("token", "claim")


def mint_identity(t: Traveller, w: World, r: int) -> None:
    t.send("identity", "mint", f"ipfs://traveller/{t.address}")


def bring_a_friend(t: Traveller, w: World, r: int) -> None:
    friend = w.traveller("friend", referral_code=t.referral_code)
    friend.send("token", "claim")
    friend.send("identity", "mint", "ipfs://a-friend")


def check_in(t: Traveller, w: World, r: int) -> None:
    t.post("/checkin")


def label(n: int) -> Act:
    def act(t: Traveller, w: World, r: int) -> None:
        task = w.npcs["caravan"]["task_id"]
        for _ in range(n):
            t.send("data", "submitLabel", task, keccak(text=f"{t.address} sees dune {t.next_serial()}"))
    return act


def post_task(t: Traveller, w: World, r: int) -> None:
    t.send("token", "approve", t.suite.data.address, 10 * TOKEN)
    receipt = t.send("data", "postTask", "ipfs://my-dunes", 5 * TOKEN, 10 * TOKEN)
    t.task_id = t.suite.data.events(receipt, "TaskPosted")[0][1]["taskId"]


def bottle(t: Traveller, w: World, r: int) -> None:
    """Review the patron's label on your own task, then seal the task into a dataset."""
    def patron_label() -> int | None:
        for label_id in range(int(t.call("data", "labelCount")), 0, -1):
            task, labeler, status, _ = t.call("data", "labels", label_id)
            if task == t.task_id and labeler != t.address and status == 0:
                return label_id
        return None

    w.until("a patron to label your task", lambda: patron_label() is not None)
    t.send("data", "reviewLabel", patron_label(), True)
    t.send("data", "createDataset", t.task_id, "ipfs://bottled-oasis")


def register_agent(t: Traveller, w: World, r: int) -> None:
    receipt = t.send("agents", "registerAgent", f"ipfs://djinn/{t.next_serial()}", TOKEN,
                     keccak(text="brass"), [])
    t.agents.append(t.suite.agents.events(receipt, "AgentRegistered")[0][1]["agentId"])


def invoke_own_agent(t: Traveller, w: World, r: int) -> None:
    body = t.post(f"/agents/{t.agents[0]}/invoke", {"input": "Where is the water?"})
    t.send_raw(body["tx"]["to"], body["tx"]["data"])


def license_oracle(t: Traveller, w: World, r: int) -> None:
    oracle = w.npcs["oracle"]
    t.send("token", "approve", t.suite.agents.address, int(oracle["license_fee"]))
    t.send("agents", "licenseAgent", oracle["agent_id"])


def list_model(price: int) -> Act:
    def act(t: Traveller, w: World, r: int) -> None:
        t.send("market", "list", 1, t.next_serial(), price * TOKEN, "ipfs://a-star-map-of-my-own")
    return act


def list_agent(t: Traveller, w: World, r: int) -> None:
    t.send("market", "list", 2, t.agents[0], 50 * TOKEN, "ipfs://my-djinn-for-hire")


def buy_star_map(t: Traveller, w: World, r: int) -> None:
    stall = next(item for item in w.npcs["listings"] if item["uri"] == STAR_MAP_URI)
    t.send("token", "approve", t.suite.market.address, int(stall["price"]))
    t.send("market", "buy", stall["listing_id"])


def withdraw_revenue(t: Traveller, w: World, r: int) -> None:
    t.send("market", "withdraw")


def stake(t: Traveller, w: World, r: int) -> None:
    if t.balance() < 100 * TOKEN:  # the faucet pours again an hour later
        w.travel(hours=1)
        t.send("token", "claim")
    t.send("token", "approve", t.suite.staking.address, 100 * TOKEN)
    t.send("staking", "stake", 100 * TOKEN)


def vote(t: Traveller, w: World, r: int) -> None:
    w.until("a council motion your stake can vote on", lambda: votable(t) is not None)
    t.send("governance", "castVote", votable(t), 1)


def propose(t: Traveller, w: World, r: int) -> None:
    t.send("governance", "propose", f"A well for {t.address[:8]}", ZERO, b"")


def claim_rewards(t: Traveller, w: World, r: int) -> None:
    if not int(t.call("staking", "earned", t.address)):
        # Staked within this very second (verification keeps up that fast): rewards accrue
        # by block time, so let two seconds pass before claiming.
        w.travel(seconds=2)
    t.send("staking", "claimRewards")


def unstake(t: Traveller, w: World, r: int) -> None:
    if r == 0:
        t.send("staking", "requestUnstake", 100 * TOKEN)
    else:
        t.send("staking", "withdraw")


def forge_legend(t: Traveller, w: World, r: int) -> None:
    t.send("relic", "forge")


PLAYS: dict[str, Play] = {
    "gate.faucet": Play(claim),
    "gate.full-waterskin": Play(nothing),  # the faucet's 100 SAHARA are in the wallet
    "gate.sahara-id": Play(mint_identity),
    "gate.soulbound-riddle": Play(answer("it reverts")),
    "gate.caravan-friend": Play(bring_a_friend),
    "gate.daily-checkin": Play(check_in),
    "gate.seven-suns": Play(check_in, rounds=7, travel={"days": 1}),
    "gate.first-guardian": Play(craft(101)),
    "oasis.first-labels": Play(label(3)),
    "oasis.label-accepted": Play(label(1), world=True),
    "oasis.post-task": Play(post_task),
    "oasis.dataset": Play(bottle, world=True),
    "oasis.weekly-harvest": Play(label(1), world=True),
    "oasis.warden": Play(craft(102)),
    "forge.register-agent": Play(register_agent),
    "forge.invoke": Play(invoke_own_agent),
    "forge.license": Play(license_oracle),
    "forge.sealed-lamp": Play(answer("the attester")),
    "forge.sought-after": Play(register_agent, world=True),
    "forge.djinn": Play(craft(103)),
    "bazaar.first-listing": Play(list_model(50)),  # above what patrons pay: nobody buys yet
    "bazaar.first-purchase": Play(buy_star_map),
    "bazaar.three-way-split": Play(answer("20")),
    "bazaar.busy-stall": Play(list_model(2), world=True),  # three patrons buy it
    "bazaar.collect": Play(withdraw_revenue),
    "bazaar.agent-trader": Play(list_agent),  # the patrons' purchases were sales already
    "bazaar.caravan-master": Play(craft(104)),
    "citadel.stake": Play(stake),
    "citadel.steadfast": Play(nothing),
    "citadel.vote": Play(vote, world=True),
    "citadel.speaker": Play(propose),
    "citadel.rewards": Play(claim_rewards),
    "citadel.snapshot-riddle": Play(answer("0")),
    "citadel.unstake": Play(unstake, rounds=2, travel={"seconds": 601}),
    "citadel.sentinel": Play(craft(105)),
    "citadel.legend": Play(forge_legend),
}


def walk(catalog: Any) -> list[Any]:
    """The loaded catalog in an order a player can follow: a quest comes after its
    prerequisites and its region's unlock quests; among those ready, ``PLAYS`` order, and
    quests without a script last (where the test fails on them)."""
    from quests.world import region

    rank = {quest_id: i for i, quest_id in enumerate(PLAYS)}
    left = list(catalog)
    done: set[str] = set()
    order = []
    while left:
        ready = [q for q in left if (q.prerequisites | region(q.region).unlock_after) <= done]
        assert ready, f"the catalog's prerequisites leave {[q.id for q in left]} unreachable"
        quest = min(ready, key=lambda q: rank.get(q.id, len(rank)))
        order.append(quest)
        done.add(quest.id)
        left.remove(quest)
    return order
