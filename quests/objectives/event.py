"""``event``: the player made the suite emit an event, counted with anti-wash rules.

YAML::

    type: event
    contract: AIMarketplace
    event: Sale
    filters: {buyer: $player}     # which args bind the player; literals allowed too
    not_player: [seller]          # buying your own listing does not count
    amount_arg: price             # SAHARA amounts are written in whole tokens
    min_amount_each: 1            # dust: events below are ignored, with a reason
    min_amount: 10                # sum over counted events
    distinct: seller              # count distinct sellers instead of events
    min_count: 1
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from quests.errors import DefinitionError
from quests.evidence import ChainEvent, Evidence, Player, same_value
from quests.objectives.base import Objective, ObjectiveType, Outcome, register
from quests.units import format_sahara, to_wei
from quests.words import deed

PLAYER = "$player"
MAX_IGNORED = 20  # keep the explanation short; ignored events never count anyway


@dataclass(frozen=True, kw_only=True)
class EventObjective(Objective):
    type_name = "event"
    contract: str
    event: str
    filters: tuple[tuple[str, Any], ...]
    min_count: int = 1
    amount_arg: str | None = None
    min_amount: int | None = None  # wei
    min_amount_each: int | None = None  # wei
    not_player: tuple[str, ...] = ()
    distinct: str | None = None

    @property
    def player_args(self) -> tuple[str, ...]:
        """The args that hold the player's address (filters equal to ``$player``)."""
        return tuple(arg for arg, value in self.filters if value == PLAYER)

    @property
    def args_used(self) -> frozenset[str]:
        """Every event arg this objective reads (for checking against the ABI)."""
        used = {arg for arg, _ in self.filters} | set(self.not_player)
        used |= {a for a in (self.amount_arg, self.distinct) if a}
        return frozenset(used)


@register
class EventType(ObjectiveType):
    type_name = "event"

    @classmethod
    def parse(cls, spec: Mapping[str, Any], where: str) -> EventObjective:
        f = cls.fields(spec, where)
        filters = f.mapping("filters")
        for arg, value in filters.items():
            bad_var = isinstance(value, str) and value.startswith("$") and value != PLAYER
            if not isinstance(value, str | int | bool) or bad_var:
                raise DefinitionError(
                    f.path(f"filters.{arg}"), f"expected $player or a literal, got {value!r}"
                )
        if PLAYER not in filters.values():
            raise DefinitionError(
                f.path("filters"), "must bind the player: give at least one arg the value $player"
            )
        amounts = {name: _amount(f, name) for name in ("min_amount", "min_amount_each")}
        amount_arg = f.text("amount_arg", None)
        if amount_arg is None and any(v is not None for v in amounts.values()):
            raise DefinitionError(f.path("amount_arg"), "is required with min_amount(_each)")
        if amount_arg is not None and all(v is None for v in amounts.values()):
            raise DefinitionError(f.path("amount_arg"), "needs min_amount or min_amount_each")
        not_player = f.texts("not_player", ())
        for arg in not_player:
            if filters.get(arg) == PLAYER:
                raise DefinitionError(f.path("not_player"), f"{arg} is also filtered to $player")
        objective = EventObjective(
            title=f.text("title", None),
            contract=f.text("contract"),
            event=f.text("event"),
            filters=tuple((str(k), v) for k, v in filters.items()),
            min_count=f.integer("min_count", 1, minimum=1),
            amount_arg=amount_arg,
            not_player=not_player,
            distinct=f.text("distinct", None),
            **amounts,
        )
        f.done()
        return objective

    @classmethod
    def describe(cls, objective: EventObjective) -> str:
        words = deed(objective.contract, objective.event)
        if objective.distinct:
            plural = words.plural or words.noun + "s"
            return f"{objective.min_count} {plural} with different {objective.distinct}s"
        return f"your {words.noun}" if objective.min_count == 1 else words.count(objective.min_count)

    @classmethod
    def evaluate(
        cls,
        objective: EventObjective,
        progress: Mapping[str, Any],
        evidence: Evidence | None,
        player: Player,
    ) -> Outcome:
        p = cls.copy(progress)
        p.setdefault("count", 0)
        p.setdefault("amount", 0)
        p.setdefault("evidence", [])
        p.setdefault("ignored", [])
        if objective.distinct:
            p.setdefault("distinct", [])
        if (
            _is_met(objective, p)
            or not isinstance(evidence, ChainEvent)
            or not concerns(objective, evidence, player)
            or evidence.key in {r["key"] for r in p["evidence"] + p["ignored"]}
        ):
            return Outcome(p, _is_met(objective, p), _status(objective, p))
        ref = {**evidence.ref(), "key": evidence.key}
        why = _wash(objective, evidence, player, p)
        if why is not None:
            p["ignored"] = (p["ignored"] + [{**ref, "why": why}])[-MAX_IGNORED:]
            noun = deed(evidence.contract, evidence.event).noun
            note = f"ignored your {noun} in tx {evidence.tx_hash[:10]}…: {why}"
            return Outcome(p, False, f"{note}; {_status(objective, p)}")
        if objective.amount_arg:
            amount = evidence.args[objective.amount_arg]
            ref["amount"] = amount
            p["amount"] += amount
        if objective.distinct:
            p["distinct"].append(_norm(evidence.args[objective.distinct]))
        p["evidence"].append(ref)
        p["count"] = len(p["distinct"]) if objective.distinct else len(p["evidence"])
        met = _is_met(objective, p)
        return Outcome(p, met, None if met else _status(objective, p), (ref,))


def _amount(f: Any, name: str) -> int | None:
    raw = f.raw(name, None)
    if raw is None:
        return None
    try:
        return to_wei(raw)
    except ValueError as e:
        raise DefinitionError(f.path(name), f"expected a SAHARA amount: {e}") from None


def concerns(objective: EventObjective, event: ChainEvent, player: Player) -> bool:
    """Is this the objective's event, with args matching the filters for this player?"""
    if event.contract != objective.contract or event.event != objective.event:
        return False
    for arg, wanted in objective.filters:
        if arg not in event.args:
            return False
        expected = player.address if wanted == PLAYER else wanted
        if not same_value(event.args[arg], expected):
            return False
    return True


def _wash(objective: EventObjective, event: ChainEvent, player: Player, p: Mapping[str, Any]) -> str | None:
    """Why this event is not real use (self-dealing, dust, a repeat), or None."""
    for arg in objective.not_player:
        if player.is_me(event.args.get(arg)):
            return f"the {arg} is you, and dealing with yourself does not count"
    if objective.amount_arg:
        amount = event.args.get(objective.amount_arg)
        if isinstance(amount, bool) or not isinstance(amount, int):
            return f"it carries no {objective.amount_arg}"
        each = objective.min_amount_each
        if each is not None and amount < each:
            return (
                f"{objective.amount_arg} {format_sahara(amount)} SAHARA is below "
                f"the {format_sahara(each)} SAHARA minimum for each"
            )
    if objective.distinct:
        value = event.args.get(objective.distinct)
        if value is None:
            return f"it carries no {objective.distinct}"
        if _norm(value) in p["distinct"]:
            return f"this {objective.distinct} was already counted; only distinct ones count"
    return None


def _is_met(objective: EventObjective, p: Mapping[str, Any]) -> bool:
    if p["count"] < objective.min_count:
        return False
    return objective.min_amount is None or p["amount"] >= objective.min_amount


def _status(objective: EventObjective, p: Mapping[str, Any]) -> str | None:
    """What was found, in the player's words, and the next concrete step."""
    if _is_met(objective, p):
        return None
    words = deed(objective.contract, objective.event)
    parts = []
    if p["count"] < objective.min_count:
        n = p["count"]
        if objective.distinct:
            parts.append(f"found {words.plural or words.noun + 's'} with {n} different "
                         f"{objective.distinct}{'' if n == 1 else 's'}")
        else:
            parts.append(f"found {words.count(n)} of yours")
        parts[-1] += f"; this quest needs {objective.min_count}"
    if objective.min_amount is not None and p["amount"] < objective.min_amount:
        parts.append(
            f"found {format_sahara(p['amount'])} SAHARA in your "
            f"{words.plural or words.noun + 's'}; this quest needs {format_sahara(objective.min_amount)}"
        )
    return "; and ".join(parts) + f" — next: {words.step}"


def _norm(value: Any) -> Any:
    """A JSON-ready, case-folded form of an arg value for the distinct set."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return value.lower() if isinstance(value, str) and value.startswith("0x") else value
