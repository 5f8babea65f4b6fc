"""``state``: a view of the chain for the player reaches a threshold.

YAML::

    type: state
    check: staked          # see CHECKS
    at_least: 100          # whole SAHARA for SAHARA checks, a count otherwise
    token_id: 105          # owns_token only

Once a reading meets the threshold the objective stays met (a later dip does not undo it).

``CHECKS`` is the one registry of state checks: how each is phrased and what it reads from
the world, through the :class:`PlayerState` port (the app reads the chain behind it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from quests.errors import DefinitionError
from quests.evidence import Evidence, Player, StateReading
from quests.objectives.base import Objective, ObjectiveType, Outcome, register
from quests.units import format_sahara, to_wei
from quests.world import LEGEND_ID


class PlayerState(Protocol):
    """What the world can tell about one player right now (amounts in wei)."""

    def sahara_balance(self, address: str) -> int: ...

    def stake(self, address: str) -> int: ...

    def voting_power(self, address: str) -> int: ...

    def pending_revenue(self, address: str) -> int: ...

    def accepted_labels(self, address: str) -> int: ...

    def has_identity(self, address: str) -> bool: ...

    def shard_balance(self, address: str, token_id: int) -> int: ...

    def legend_balance(self, address: str) -> int: ...

    def listings_made(self, address: str) -> int:
        """How many times the player listed in the Bazaar, ever."""
        ...


Reader = Callable[[PlayerState, str, "int | None"], int]


@dataclass(frozen=True)
class Check:
    """How to read and phrase one kind of state check."""

    unit: str  # "sahara" (wei on chain), "count" or "flag"
    label: str  # "your stake"
    found: str  # "your stake of {value}"
    read: Reader  # (world, address, token id) -> the reading's value


def _owned(world: PlayerState, address: str, token_id: int | None) -> int:
    if token_id is None:
        raise ValueError("owns_token needs a token id")
    # Shards and Guardians are LegendShards tokens; the Legend is the relic's own.
    return world.legend_balance(address) if token_id == LEGEND_ID else world.shard_balance(address, token_id)


CHECKS: dict[str, Check] = {
    "sahara_balance": Check("sahara", "your SAHARA balance", "a balance of {value} in your wallet",
                            lambda w, a, _t: w.sahara_balance(a)),
    "staked": Check("sahara", "your stake", "your stake of {value}", lambda w, a, _t: w.stake(a)),
    "voting_power": Check("sahara", "your voting power", "voting power of {value}",
                          lambda w, a, _t: w.voting_power(a)),
    "pending_revenue": Check("sahara", "your pending revenue", "{value} of revenue waiting",
                             lambda w, a, _t: w.pending_revenue(a)),
    "owns_token": Check("count", "your tokens", "{value} of token #{token_id} in your wallet", _owned),
    "accepted_labels": Check("count", "your accepted labels", "{value} accepted labels",
                             lambda w, a, _t: w.accepted_labels(a)),
    "has_identity": Check("flag", "your Sahara ID", "no Sahara ID on your address",
                          lambda w, a, _t: 1 if w.has_identity(a) else 0),
    "listings_made": Check("count", "your listings in the Bazaar", "{value} listings of yours",
                           lambda w, a, _t: w.listings_made(a)),
}


def read_check(world: PlayerState, check: str, token_id: int | None, address: str) -> int:
    """The value of one state check for ``address``; ValueError for a check nobody knows."""
    found = CHECKS.get(check)
    if found is None:
        raise ValueError(f"no state check {check!r}")
    return int(found.read(world, address, token_id))


@dataclass(frozen=True, kw_only=True)
class StateObjective(Objective):
    type_name = "state"
    check: str
    at_least: int  # wei for SAHARA checks
    token_id: int | None = None


@register
class StateType(ObjectiveType):
    type_name = "state"

    @classmethod
    def parse(cls, spec: Mapping[str, Any], where: str) -> StateObjective:
        f = cls.fields(spec, where)
        name = f.text("check")
        check = CHECKS.get(name)
        if check is None:
            raise DefinitionError(
                f.path("check"), f"unknown check {name!r}; known: {', '.join(sorted(CHECKS))}"
            )
        if check.unit == "sahara":
            try:
                at_least = to_wei(f.raw("at_least"))
            except ValueError as e:
                raise DefinitionError(f.path("at_least"), str(e)) from None
        else:
            at_least = f.integer("at_least", 1, minimum=1)
        token_id = f.integer("token_id", None, minimum=0)
        if (token_id is None) != (name != "owns_token"):
            raise DefinitionError(f.path("token_id"), "is required by owns_token and only by it")
        objective = StateObjective(
            title=f.text("title", None), check=name, at_least=at_least, token_id=token_id
        )
        f.done()
        return objective

    @classmethod
    def describe(cls, objective: StateObjective) -> str:
        return f"{CHECKS[objective.check].label}: at least {_show(objective, objective.at_least)}"

    @classmethod
    def evaluate(
        cls,
        objective: StateObjective,
        progress: Mapping[str, Any],
        evidence: Evidence | None,
        player: Player,
    ) -> Outcome:
        p = cls.copy(progress)
        p.setdefault("met", False)
        p.setdefault("evidence", [])
        relevant = (
            isinstance(evidence, StateReading)
            and evidence.check == objective.check
            and evidence.token_id == objective.token_id
        )
        if p["met"] or not relevant:
            return Outcome(p, p["met"], None if p["met"] else _status(objective, p))
        assert isinstance(evidence, StateReading)
        p["reading"] = evidence.ref()
        if evidence.value >= objective.at_least:
            p["met"] = True
            p["evidence"] = [evidence.ref()]
            return Outcome(p, True, None, (evidence.ref(),))
        return Outcome(p, False, _status(objective, p))

    @classmethod
    def seen(cls, objective: StateObjective, progress: Mapping[str, Any]) -> list[dict[str, Any]]:
        reading = progress.get("reading")
        return [dict(reading)] if reading else []


def _show(objective: StateObjective, value: int) -> str:
    unit = CHECKS[objective.check].unit
    if unit == "sahara":
        return f"{format_sahara(value)} SAHARA"
    if unit == "flag":
        return "one" if value else "none"
    return str(value)


def _status(objective: StateObjective, p: Mapping[str, Any]) -> str:
    check = CHECKS[objective.check]
    reading = p.get("reading")
    if reading is None:
        return f"waiting for a reading of {check.label}"
    if check.unit == "flag":
        return f"found {check.found}; this quest needs one"
    value = _show(objective, reading["value"])
    found = check.found.format(value=value, token_id=objective.token_id)
    needed = _show(objective, objective.at_least)
    if check.unit == "sahara":
        needed = format_sahara(objective.at_least)  # "your stake of 40 SAHARA; ... needs 100"
    return f"found {found}; this quest needs {needed}"
