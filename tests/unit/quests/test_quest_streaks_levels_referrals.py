"""Daily check-in streaks, the XP curve and referrals that count only once activated."""

import pytest
from quest_fakes import ALICE, BOB, CAROL, DAVE, FrozenClock

from quests.evidence import ReferralActivated
from quests.levels import level_for_xp, level_progress, rank, xp_for_level
from quests.referrals import (
    Referral,
    activated_invitees,
    activation_evidence,
    is_activated,
    missing_activation,
)
from quests.streaks import Streak, check_in, checked_in_today, current_streak

# --- streaks ----------------------------------------------------------------------------


def test_consecutive_utc_days_grow_the_streak():
    clock = FrozenClock("2026-11-20T23:59:00")
    streak = check_in(Streak(), clock.now())
    streak = check_in(streak, clock.advance(minutes=2))  # 00:01 the next UTC day
    streak = check_in(streak, clock.advance(days=1))
    assert (streak.current, streak.best) == (3, 3)
    assert current_streak(streak, clock.now()) == 3 and checked_in_today(streak, clock.now())


def test_twice_the_same_day_counts_once():
    clock = FrozenClock("2026-11-22T00:00:00")
    once = check_in(Streak(), clock.now())
    assert check_in(once, clock.advance(hours=23, minutes=59)) == once


def test_a_missed_day_breaks_the_streak_but_keeps_the_best():
    clock = FrozenClock("2026-11-20T08:00:00")
    streak = check_in(check_in(Streak(), clock.now()), clock.advance(days=1))
    assert current_streak(streak, clock.advance(days=1)) == 2  # today's check-in may yet come
    assert current_streak(streak, clock.advance(days=1)) == 0  # a whole day was missed
    streak = check_in(streak, clock.now())
    assert (streak.current, streak.best) == (1, 2)


def test_streak_round_trips_through_a_dict():
    streak = check_in(Streak(), FrozenClock("2026-11-22T08:00:00").now())
    assert Streak.from_dict(streak.to_dict()) == streak


# --- levels -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("xp", "level"), [(0, 1), (99, 1), (100, 2), (299, 2), (300, 3), (999, 4), (1000, 5)]
)
def test_xp_curve(xp, level):
    assert level_for_xp(xp) == level


def test_levels_and_xp_agree_everywhere():
    for level in range(1, 60):
        assert level_for_xp(xp_for_level(level)) == level
        assert level_for_xp(xp_for_level(level + 1) - 1) == level


def test_level_progress_says_how_far_to_the_next_level():
    progress = level_progress(450)
    assert (progress.level, progress.level_xp, progress.next_level_xp, progress.to_next) == (3, 300, 600, 150)
    assert progress.rank == rank(3) == "Nomad"


def test_negative_xp_is_an_error():
    with pytest.raises(ValueError):
        level_for_xp(-1)


# --- referrals --------------------------------------------------------------------------

ACTIVATION = frozenset({"gate.faucet", "gate.sahara-id"})


def test_a_referral_counts_only_after_every_activation_quest():
    referral = Referral(ALICE, BOB)
    assert activation_evidence(referral, {"gate.faucet"}, ACTIVATION) is None
    assert missing_activation({"gate.faucet"}, ACTIVATION) == {"gate.sahara-id"}
    assert activation_evidence(referral, set(ACTIVATION), ACTIVATION) == ReferralActivated(BOB)


def test_self_referral_never_counts():
    assert activation_evidence(Referral(ALICE, ALICE.lower()), set(ACTIVATION), ACTIVATION) is None


def test_without_activation_quests_nobody_is_activated():
    assert not is_activated({"anything"}, frozenset())


def test_activated_invitees_are_distinct_and_activated():
    referrals = [
        Referral(ALICE, BOB),
        Referral(ALICE, BOB),
        Referral(ALICE, CAROL),
        Referral(ALICE, DAVE),
        Referral(ALICE, ALICE),
    ]
    completed_by = {BOB.upper().replace("0X", "0x"): ACTIVATION, CAROL: {"gate.faucet"}, ALICE: ACTIVATION}
    assert activated_invitees(referrals, completed_by, ACTIVATION) == {BOB.lower()}
