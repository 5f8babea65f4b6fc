"""The progress state machine, periods and resets, standing, advancing and explaining."""

from datetime import timedelta

import pytest
from quest_fakes import ALICE, BOB, PLAYER, FrozenClock, chain_event, quest, sahara, utc

from quests.definitions import Recurrence
from quests.engine import advance, players_in, refresh
from quests.errors import IllegalTransition
from quests.evidence import Answer, CheckIn, StateReading
from quests.explain import explain
from quests.progress import (
    QuestProgress,
    Status,
    grant_key,
    new_progress,
    next_reset,
    period_key,
    standing,
    transition,
)

LABELS = quest("""
id: oasis.first-labels
region: oasis
title: Reading the Dunes
story: Label three things.
objectives:
  - {type: event, contract: DataServices, event: LabelSubmitted, filters: {labeler: $player},
     min_count: 2}
rewards: {shards: {oasis: 2}, xp: 60}
""")
DAILY = quest("""
id: gate.daily-checkin
region: gate
title: Greet the Dawn
story: Be counted.
recurrence: daily
objectives: [{type: checkin}]
rewards: {xp: 10}
""")
WEEKLY = quest("""
id: oasis.weekly-harvest
region: oasis
title: Harvest
story: Five a week.
recurrence: weekly
cooldown: 1d
objectives:
  - {type: event, contract: DataServices, event: LabelAccepted, filters: {labeler: $player}}
rewards: {xp: 100}
""")
GATE_DONE = {"gate.faucet", "gate.sahara-id"}


def label(tx, at="2026-11-22T12:00:00"):
    return chain_event(
        "DataServices",
        "LabelSubmitted",
        tx=tx,
        at=at,
        labelId=tx,
        taskId=1,
        labeler=ALICE,
        contentHash="0x00",
    )


def accepted(tx, at):
    return chain_event(
        "DataServices", "LabelAccepted", tx=tx, at=at, labelId=tx, taskId=1, labeler=ALICE, reward=sahara(1)
    )


def available(q, clock, completed=GATE_DONE):
    return refresh(q, None, completed=completed, now=clock.now())


# --- the state machine ------------------------------------------------------------------


def test_the_happy_path_walks_every_state(clock):
    p = new_progress(LABELS, clock.now())
    for target in (Status.AVAILABLE, Status.IN_PROGRESS, Status.COMPLETED, Status.REWARDED):
        p = transition(p, target, clock.now())
    assert p.status is Status.REWARDED
    assert p.started_at == p.completed_at == p.rewarded_at == clock.now()


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], Status.COMPLETED),  # locked -> completed
        ([], Status.IN_PROGRESS),  # locked -> in_progress
        ([Status.AVAILABLE], Status.REWARDED),  # available -> rewarded
        ([Status.AVAILABLE, Status.IN_PROGRESS], Status.AVAILABLE),  # backwards
        ([Status.AVAILABLE, Status.IN_PROGRESS, Status.COMPLETED], Status.IN_PROGRESS),
        (
            [Status.AVAILABLE, Status.IN_PROGRESS, Status.COMPLETED, Status.REWARDED],
            Status.REWARDED,
        ),  # rewarded twice
    ],
)
def test_illegal_transitions_raise(clock, path, illegal):
    p = new_progress(LABELS, clock.now())
    for target in path:
        p = transition(p, target, clock.now())
    with pytest.raises(IllegalTransition) as caught:
        transition(p, illegal, clock.now())
    assert caught.value.quest_id == "oasis.first-labels"


def test_progress_round_trips_through_a_dict(clock):
    p = advance(LABELS, available(LABELS, clock), label(1), PLAYER, clock.now()).progress
    assert QuestProgress.from_dict(p.to_dict()) == p


# --- periods ------------------------------------------------------------------------------


def test_period_keys():
    at = utc("2026-11-22T23:59:59")  # a Sunday: the last day of ISO week 47
    assert period_key(Recurrence.ONCE, at) == "once"
    assert period_key(Recurrence.DAILY, at) == "2026-11-22"
    assert period_key(Recurrence.WEEKLY, at) == "2026-W47"
    assert period_key(Recurrence.WEEKLY, utc("2026-11-23T00:00:00")) == "2026-W48"
    assert period_key(Recurrence.WEEKLY, utc("2027-01-01T00:00:00")) == "2026-W53"
    assert next_reset(Recurrence.DAILY, at) == utc("2026-11-23T00:00:00")
    assert next_reset(Recurrence.WEEKLY, at) == utc("2026-11-23T00:00:00")
    assert next_reset(Recurrence.ONCE, at) is None


def test_a_daily_quest_resets_at_utc_midnight():
    clock = FrozenClock("2026-11-22T23:59:00")
    p = available(DAILY, clock)
    p = advance(DAILY, p, CheckIn(clock.now()), PLAYER, clock.now()).progress
    assert p.status is Status.COMPLETED and p.period == "2026-11-22"
    clock.advance(minutes=1)
    same_day_again = refresh(DAILY, p, completed=GATE_DONE, now=clock.now() - timedelta(seconds=1))
    assert same_day_again is p
    fresh = refresh(DAILY, p, completed=GATE_DONE | {DAILY.id}, now=clock.now())
    assert (fresh.status, fresh.period, fresh.objectives) == (Status.AVAILABLE, "2026-11-23", ())
    assert grant_key(ALICE, DAILY.id, p.period) != grant_key(ALICE, DAILY.id, fresh.period)


def test_a_weekly_quest_resets_on_the_iso_week_boundary():
    clock = FrozenClock("2026-11-22T10:00:00")  # Sunday, W47
    p = available(WEEKLY, clock)
    p = advance(WEEKLY, p, accepted(1, clock.now()), PLAYER, clock.now()).progress
    assert p.status is Status.COMPLETED and p.period == "2026-W47"
    clock.set("2026-11-23T10:00:01")  # Monday, W48, just past the 1 day cooldown
    fresh = refresh(WEEKLY, p, completed=GATE_DONE, now=clock.now(), last_completed_at=p.completed_at)
    assert (fresh.status, fresh.period) == (Status.AVAILABLE, "2026-W48")


def test_a_cooldown_keeps_the_new_period_locked(clock):
    done_at = utc("2026-11-22T23:00:00")
    clock.set("2026-11-23T01:00:00")
    p = refresh(WEEKLY, None, completed=GATE_DONE, now=clock.now(), last_completed_at=done_at)
    assert p.status is Status.LOCKED
    why = standing(WEEKLY, completed=GATE_DONE, now=clock.now(), last_completed_at=done_at)
    assert why.reason == "cooling down until 2026-11-23 23:00 UTC"


def test_evidence_from_an_earlier_period_does_not_count():
    clock = FrozenClock("2026-11-23T09:00:00")
    p = available(WEEKLY, clock)
    step = advance(WEEKLY, p, accepted(1, "2026-11-22T23:00:00"), PLAYER, clock.now())
    assert step.progress is p and "another period" in step.note


# --- standing: regions, prerequisites, windows ------------------------------------------


def test_a_quest_in_a_sealed_region_stays_locked(clock):
    assert refresh(LABELS, None, completed=set(), now=clock.now()).status is Status.LOCKED
    why = standing(LABELS, completed={"gate.faucet"}, now=clock.now())
    assert why.reason == "The Data Oasis is still sealed: finish gate.sahara-id first"


def test_prerequisites_lock_and_unlock(clock):
    later = quest(LABELS_YAML_WITH_PREREQ)
    assert standing(later, completed=GATE_DONE, now=clock.now()).reason == ("finish oasis.first-labels first")
    assert standing(later, completed=GATE_DONE | {"oasis.first-labels"}, now=clock.now()).open


LABELS_YAML_WITH_PREREQ = """
id: oasis.label-accepted
region: oasis
title: Nod
story: S
prerequisites: [oasis.first-labels]
objectives: [{type: checkin}]
rewards: {xp: 1}
"""


def test_the_availability_window(clock):
    seasonal = quest("""
id: bazaar.grand-souk
region: gate
title: Grand Souk
story: Only this season.
available_from: 2026-12-01T00:00:00Z
available_until: 2026-12-08T00:00:00Z
objectives: [{type: checkin}]
rewards: {xp: 1}
""")
    early = standing(seasonal, completed=set(), now=clock.now())
    assert not early.open and early.reason == "opens at 2026-12-01 00:00 UTC"
    clock.set("2026-12-01T00:00:00")
    p = refresh(seasonal, None, completed=set(), now=clock.now())
    assert p.status is Status.AVAILABLE
    clock.set("2026-12-08T00:00:00")
    assert refresh(seasonal, p, completed=set(), now=clock.now()).status is Status.LOCKED
    assert standing(seasonal, completed=set(), now=clock.now()).reason.startswith("closed at")


def test_evidence_outside_the_window_is_not_counted():
    seasonal = quest("""
id: gate.season
region: gate
title: Season
story: S
available_until: 2026-11-22T12:00:00Z
objectives:
  - {type: event, contract: DataServices, event: LabelSubmitted, filters: {labeler: $player}}
rewards: {xp: 1}
""")
    clock = FrozenClock("2026-11-22T11:00:00")
    p = available(seasonal, clock)
    step = advance(seasonal, p, label(1, at="2026-11-22T12:00:00"), PLAYER, clock.now())
    assert not step.completed and "window" in step.note


# --- advancing --------------------------------------------------------------------------


def test_evidence_moves_a_quest_to_in_progress_then_completed(clock):
    p = available(LABELS, clock)
    first = advance(LABELS, p, label(1), PLAYER, clock.now())
    assert first.progress.status is Status.IN_PROGRESS and not first.completed
    second = advance(LABELS, first.progress, label(2), PLAYER, clock.now())
    assert second.completed and second.progress.status is Status.COMPLETED
    assert [e["tx_hash"] for e in second.progress.evidence] == [f"0x{1:064x}", f"0x{2:064x}"]
    assert second.progress.evidence[0]["block_number"] == 100
    assert second.progress.evidence[0]["log_index"] == 0
    assert second.progress.rule_version == 1


def test_refeeding_after_completion_changes_nothing(clock):
    p = available(LABELS, clock)
    for tx in (1, 2):
        p = advance(LABELS, p, label(tx), PLAYER, clock.now()).progress
    again = advance(LABELS, p, label(2), PLAYER, clock.now())
    assert again.progress is p and not again.completed and again.note == "the quest is completed"


def test_irrelevant_evidence_leaves_an_available_quest_available(clock):
    p = available(LABELS, clock)
    step = advance(LABELS, p, Answer("hello"), PLAYER, clock.now())
    assert step.progress is p


def test_a_locked_quest_ignores_evidence(clock):
    p = refresh(LABELS, None, completed=set(), now=clock.now())
    assert advance(LABELS, p, label(1), PLAYER, clock.now()).note == "the quest is locked"


def test_players_in_an_event_are_found_through_the_catalog():
    from quests.definitions import Catalog

    catalog = Catalog({LABELS.id: LABELS})
    event = label(1)
    assert players_in(catalog, event) == {ALICE}
    assert players_in(catalog, chain_event("Staking", "Staked", account=BOB)) == frozenset()


# --- explaining -------------------------------------------------------------------------


def test_why_lists_each_objective_with_reason_and_evidence(clock):
    two_parts = quest("""
id: citadel.keeper
region: citadel
title: Keeper
story: S
objectives:
  - {type: state, check: staked, at_least: 100}
  - type: any
    of:
      - {type: event, contract: Governance, event: VoteCast, filters: {voter: $player}}
      - {type: event, contract: Governance, event: ProposalCreated, filters: {proposer: $player}}
rewards: {xp: 1}
""")
    completed = GATE_DONE | {"oasis.first-labels", "forge.register-agent", "bazaar.first-listing"}
    p = refresh(two_parts, None, completed=completed, now=clock.now())
    p = advance(two_parts, p, StateReading("staked", sahara(40)), PLAYER, clock.now()).progress
    vote = chain_event(
        "Governance", "VoteCast", tx=9, proposalId=1, voter=ALICE, support=1, weight=sahara(40)
    )
    p = advance(two_parts, p, vote, PLAYER, clock.now()).progress
    report = explain(two_parts, p, PLAYER).to_dict()
    assert report["status"] == "in_progress" and report["met"] is False
    stake, either = report["objectives"]
    assert (stake["met"], stake["reason"]) == (False, "found your stake of 40 SAHARA; this quest needs 100")
    assert stake["evidence"] == [{"kind": "state", "check": "staked", "value": sahara(40)}]
    assert either["met"] is True and either["parts"][0]["evidence"][0]["tx_hash"] == f"0x{9:064x}"
    assert either["parts"][1]["path"] == "1.1" and either["parts"][1]["met"] is False


NEXT_LABEL = "next: submit a label to an open Oasis task (the caravan's task takes anyone's)"


def test_why_explains_a_locked_quest(clock):
    why = standing(LABELS, completed=set(), now=clock.now())
    report = explain(LABELS, None, PLAYER, why)
    assert report.status == "locked" and report.reason.startswith("The Data Oasis is still sealed")
    assert report.objectives[0].reason == (
        f"found no label of yours; this quest needs 2 — {NEXT_LABEL}"
    )
