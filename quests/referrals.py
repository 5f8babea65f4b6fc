"""Referrals count only once the invitee has completed every activation quest, so a
swarm of empty wallets earns nothing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from datetime import datetime

from quests.evidence import ReferralActivated


@dataclass(frozen=True)
class Referral:
    """``referrer`` invited ``invitee`` (addresses)."""

    referrer: str
    invitee: str

    @property
    def is_self_referral(self) -> bool:
        return self.referrer.lower() == self.invitee.lower()


def missing_activation(invitee_completed: Set[str], activation_ids: Set[str]) -> frozenset[str]:
    """Activation quests the invitee still has to complete."""
    return frozenset(activation_ids) - frozenset(invitee_completed)


def is_activated(invitee_completed: Set[str], activation_ids: Set[str]) -> bool:
    """True when the invitee completed every activation quest. A catalog without
    activation quests activates nobody (otherwise every sign-up would count)."""
    return bool(activation_ids) and not missing_activation(invitee_completed, activation_ids)


def activation_evidence(
    referral: Referral,
    invitee_completed: Set[str],
    activation_ids: Set[str],
    at: datetime | None = None,
) -> ReferralActivated | None:
    """The evidence to feed the referrer's referral quests, or None if it does not count."""
    if referral.is_self_referral or not is_activated(invitee_completed, activation_ids):
        return None
    return ReferralActivated(invitee=referral.invitee, at=at)


def activated_invitees(
    referrals: Iterable[Referral],
    completed_by: Mapping[str, Set[str]],
    activation_ids: Set[str],
) -> frozenset[str]:
    """Distinct invitees (lower-cased addresses) whose referrals count.

    ``completed_by`` maps an invitee address (any case) to the quest ids they completed.
    """
    completed = {address.lower(): ids for address, ids in completed_by.items()}
    return frozenset(
        r.invitee.lower()
        for r in referrals
        if not r.is_self_referral
        and is_activated(completed.get(r.invitee.lower(), frozenset()), activation_ids)
    )
