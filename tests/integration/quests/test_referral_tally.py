"""The referrer's tally of activated invitees (quests.referral_tally) always equals the count
recomputed from the completions: after an activation, a replayed log, a reorg that takes an
activation back, the activation quests changing, and two transactions activating at once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from legends.wiring.catalog import load_quests
from quests import service
from quests.catalog_store import catalog_of
from quests.loader import catalog_dir
from quests.orm import Player
from quests.referral_tally import note_activation, recount
from quests.store import QuestCompletion


def activated_invitees(session, player_id: int, activation_ids: frozenset[str]) -> list[str]:
    """Recomputed from the completions: the invitees who completed every activation quest."""
    if not activation_ids:
        return []
    query = (select(Player.address, func.count(func.distinct(QuestCompletion.quest_id)))
             .join(QuestCompletion, QuestCompletion.player_id == Player.id)
             .where(Player.referred_by_id == player_id, QuestCompletion.quest_id.in_(activation_ids))
             .group_by(Player.address))
    return sorted(a for a, n in session.execute(query) if n == len(activation_ids))


def tally(game, referrer) -> tuple[int, int]:
    """(the kept tally, the count recomputed from every invitee's completions)."""
    with game.sessions() as session:
        kept = session.scalar(select(Player.activated_invitees).where(Player.id == referrer.id))
        again = activated_invitees(session, referrer.id, catalog_of(session).activation_ids)
    return kept, len(again)


def marked(game, player) -> bool:
    with game.sessions() as session:
        return session.scalar(select(Player.activated_at).where(Player.id == player.id)) is not None


def mint_id(game, player, block: int):  # type: ignore[no-untyped-def]
    return game.log("SaharaID", "IdentityMinted", block=block, owner=player.address, tokenId=block,
                    profileURI="")


def activate(game, guest, block: int = 300):  # type: ignore[no-untyped-def]
    """The guest plays both activation quests from chain logs (the faucet at block 101)."""
    game.accept(guest, "gate.faucet")
    game.accept(guest, "gate.sahara-id")
    game.feed(game.log("SaharaToken", "FaucetClaimed", account=guest.address, amount=1, nextClaimAt=0))
    log = mint_id(game, guest, block)
    game.feed(log)
    return log


def test_an_invitee_counts_once_when_the_last_activation_quest_completes(game):
    host, stranger = game.player(), game.player()
    guest, other = game.player(referred_by=host), game.player(referred_by=host)
    game.accept(guest, "gate.faucet")
    game.feed(game.log("SaharaToken", "FaucetClaimed", account=guest.address, amount=1, nextClaimAt=0))
    assert tally(game, host) == (0, 0) and not marked(game, guest)  # one activation quest of two
    game.accept(guest, "gate.sahara-id")
    log = mint_id(game, guest, 300)
    game.feed(log)
    assert tally(game, host) == (1, 1) and marked(game, guest)
    assert game.feed(log) == []  # the same log again: nothing twice
    assert tally(game, host) == (1, 1)
    activate(game, other, block=301)
    activate(game, stranger, block=302)  # nobody invited them: no referrer's tally moves
    assert tally(game, host) == (2, 2) and not marked(game, stranger)
    with game.sessions() as session:
        report = service.referral_report(session, host)
    assert report["activated"] == 2 and report["invited"] == 2


def test_a_reorg_that_takes_an_activation_back_takes_the_count_back(game):
    host = game.player()
    guest = game.player(referred_by=host)
    activate(game, guest, block=300)
    assert tally(game, host) == (1, 1)
    withdrawn = game.retract(300)
    assert [c.quest_id for c in withdrawn] == ["gate.sahara-id"]
    assert tally(game, host) == (0, 0) and not marked(game, guest)
    assert game.retract(300) == []  # nothing left to take back: the tally stays
    assert tally(game, host) == (0, 0)
    game.feed(mint_id(game, guest, 305))  # mined again on the new branch
    assert tally(game, host) == (1, 1) and marked(game, guest)


def test_changed_activation_quests_recount_every_tally(game, tmp_path):
    host = game.player()
    guest = game.player(referred_by=host)
    game.accept(guest, "gate.faucet")
    game.feed(game.log("SaharaToken", "FaucetClaimed", account=guest.address, amount=1, nextClaimAt=0))
    assert tally(game, host) == (0, 0)
    others = [p for p in catalog_dir().glob("*.yaml") if p.name != "gate.yaml"]
    gate = (catalog_dir() / "gate.yaml").read_text()
    sahara_id = gate.index("  - id: gate.sahara-id")
    flag = gate.index("    activation: true", sahara_id)
    (tmp_path / "gate.yaml").write_text(gate[:flag] + gate[flag:].replace("    activation: true\n", "", 1))
    load_quests(game.sessions, [tmp_path / "gate.yaml", *others], say=lambda _m: None)
    assert tally(game, host) == (1, 1) and marked(game, guest)  # the faucet alone activates now
    load_quests(game.sessions, None, say=lambda _m: None)  # the shipped catalog again
    assert tally(game, host) == (0, 0) and not marked(game, guest)


def test_a_recount_agrees_with_the_tallies_kept_one_by_one(game):
    host, second = game.player(), game.player()
    guests = [game.player(referred_by=host) for _ in range(3)] + [game.player(referred_by=second)]
    for block, guest in enumerate(guests[1:], 310):
        activate(game, guest, block)
    before = tally(game, host), tally(game, second)
    assert before == ((2, 2), (1, 1))
    with game.sessions.begin() as session:
        session.execute(Player.__table__.update().values(activated_invitees=7, activated_at=None))
    with game.sessions.begin() as session:
        recount(session, catalog_of(session).activation_ids, game.now)
    assert (tally(game, host), tally(game, second)) == before


def test_two_transactions_completing_the_last_activation_quests_at_once_count_once(game):
    """Each transaction adds one activation completion and asks whether the invitee is now
    activated, before the other commits: the second waits on the invitee's row lock, then
    sees both completions; and a third that finds the invitee marked does not count again."""
    if game.app.extensions["legends.db"].engine.dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL (SQLite serialises writers)")
    host = game.player()
    guest = game.player(referred_by=host)
    first, second = game.sessions(), game.sessions()
    try:
        with game.sessions() as session:
            activation = sorted(catalog_of(session).activation_ids)
        for session, quest_id in zip((first, second), activation):
            session.add(QuestCompletion(player_id=guest.id, quest_id=quest_id, period="once",
                                        completed_at=game.now, rule_version=1, evidence=[]))
            session.flush()
        assert note_activation(first, guest.id, set(activation), game.now) is False
        answer: list[bool] = []
        waiting = threading.Thread(target=lambda: answer.append(
            note_activation(second, guest.id, set(activation), game.now)))
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive()  # waiting for the first transaction's lock on the invitee
        first.commit()
        waiting.join(10)
        assert answer == [True]
        second.commit()
    finally:
        first.close()
        second.close()
    assert tally(game, host) == (1, 1)
    third, fourth = game.sessions(), game.sessions()
    try:
        assert note_activation(third, guest.id, set(activation), game.now) is True
        done = threading.Thread(target=lambda: note_activation(fourth, guest.id, set(activation), game.now))
        done.start()
        third.commit()
        done.join(10)
        fourth.commit()
    finally:
        third.close()
        fourth.close()
    assert tally(game, host) == (1, 1)
