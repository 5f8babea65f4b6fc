"""A wallet that acts on chain before its first sign-in loses nothing: its suite logs wait on
the wayside, and the sign-in that creates the player judges them at once for every quest open
to them, by the counting rule (docs/world.md) — from block 0 for the Gate's first quests, from
its opening block for a quest the judged logs open, per period for a weekly one."""

from __future__ import annotations

from datetime import timedelta

from eth_account import Account
from eth_account.messages import encode_defunct
from quest_game import TOKEN, Game
from sqlalchemy import func, select

from legends.auth.players import STATEMENT, Deployment, issue_nonce
from legends.auth.players import sign_in as signed_in
from legends.auth.siwe import SiweMessage
from quests import service
from quests.orm import Player
from quests.store import QuestEvidence, QuestInbox, WaysideLog


class Stranger:
    """A wallet nobody has seen sign in."""

    def __init__(self) -> None:
        self.account = Account.create()
        self.address = self.account.address


def count(game: Game, model, **where) -> int:
    with game.sessions() as session:
        query = select(func.count(model.id))
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return session.scalar(query) or 0


def arrive(game: Game, who: Stranger) -> tuple[Player, list]:
    """The player row a first sign-in creates, and what judging the wayside completed."""
    with game.sessions.begin() as session:
        player = Player(address=who.address, referral_code=who.address[2:14], xp=0,
                        created_at=game.now, last_seen_at=game.now)
        session.add(player)
        session.flush()
        done = service.welcome_traveller(session, player, game.now, sink=game.sink)
    return player, done


def test_a_wallet_that_acted_before_signing_in_finds_its_quests_done_at_once(game):
    who = Stranger()
    label = lambda b, n: game.log("DataServices", "LabelSubmitted", block=b, labelId=n, taskId=1,  # noqa: E731
                                  labeler=who.address, contentHash="0x" + f"{n:02x}" * 32)
    early_label = label(3, 1)  # before the Oasis opened: it does not count
    faucet = game.log("SaharaToken", "FaucetClaimed", block=4, log_index=2, account=who.address,
                      amount=100 * TOKEN, nextClaimAt=0)
    identity = game.log("SaharaID", "IdentityMinted", block=5, owner=who.address, tokenId=9,
                        profileURI="")
    assert game.feed(early_label, faucet, identity, label(6, 2), label(7, 3)) == []
    assert count(game, WaysideLog, address=who.address.lower()) == 5
    assert count(game, Player, address=who.address) == 0

    player, done = arrive(game, who)
    assert sorted(c.quest_id for c in done) == ["gate.faucet", "gate.sahara-id"]
    assert game.status(player, "gate.faucet") == "completed"
    assert game.status(player, "oasis.first-labels") == "in_progress"  # labels 2 and 3 only
    with game.sessions() as session:
        row = session.scalar(select(QuestEvidence).where(QuestEvidence.player_id == player.id,
                                                         QuestEvidence.quest_id == "gate.faucet"))
    assert (row.tx_hash, row.block_number, row.log_index, row.rule_version) == (
        faucet.tx_hash, 4, 2, 1)
    assert count(game, WaysideLog, address=who.address.lower()) == 0
    assert count(game, QuestInbox, player_id=player.id) == 5

    # After sign-in the same logs are the player's like any other: a third label completes it.
    assert [c.quest_id for c in game.feed(label(8, 4))] == ["oasis.first-labels"]


def test_followers_read_the_wayside_from_their_opening_block_and_weekly_quests_per_week(game):
    who = Stranger()
    last_week = game.now - timedelta(days=7)

    def log(contract, event, block, at=None, **args):
        return game.log(contract, event, block=block, at=at, **args)

    def nod(block, n, at=None):
        return log("DataServices", "LabelAccepted", block, at, labelId=n, taskId=1,
                   labeler=who.address, reward=5 * TOKEN)

    logs = [log("SaharaToken", "FaucetClaimed", 1, account=who.address, amount=100 * TOKEN, nextClaimAt=0),
            log("SaharaID", "IdentityMinted", 2, owner=who.address, tokenId=3, profileURI="")]
    logs += [log("DataServices", "LabelSubmitted", 2 + n, labelId=n, taskId=1, labeler=who.address,
                 contentHash="0x" + f"{n:02x}" * 32) for n in (1, 2, 3)]
    logs += [nod(6, 1, at=last_week)]  # opens the weekly harvest, but is of last week for it
    logs += [nod(6 + n, n) for n in (2, 3, 4, 5)]
    game.feed(*logs)

    player, done = arrive(game, who)
    assert [c.quest_id for c in done] == ["gate.faucet", "gate.sahara-id", "oasis.first-labels",
                                          "oasis.label-accepted"]
    week = game.record(player, "oasis.weekly-harvest", period="2026-W47")
    assert week is not None and week.status == "in_progress"  # four nods this week, not five
    assert [c.quest_id for c in game.feed(nod(11, 6))] == ["oasis.weekly-harvest"]


def test_the_first_sign_in_judges_the_wayside_and_a_second_one_changes_nothing(game):
    who = Stranger()
    game.feed(game.log("SaharaToken", "FaucetClaimed", block=9, account=who.address,
                       amount=100 * TOKEN, nextClaimAt=0))
    deployment = Deployment("legends.test", "https://legends.test", 31337)
    for created in (True, False):
        with game.sessions.begin() as session:
            nonce = issue_nonce(session, game.now).nonce
        text = SiweMessage(domain=deployment.domain, address=who.address, statement=STATEMENT,
                           uri=deployment.origin, version="1", chain_id=deployment.chain_id,
                           nonce=nonce, issued_at=game.now.strftime("%Y-%m-%dT%H:%M:%S.000Z")).to_text()
        signed = who.account.sign_message(encode_defunct(text=text)).signature.hex()
        signature = "0x" + signed.removeprefix("0x")
        with game.sessions.begin() as session:
            player, fresh = signed_in(session, deployment, text, signature, now=game.now)
        assert fresh is created
    assert game.status(player, "gate.faucet") == "completed"
    assert count(game, QuestEvidence, player_id=player.id) == 1


def test_the_wayside_keeps_a_log_once_and_forgets_orphaned_blocks(game):
    who = Stranger()
    claim = game.log("SaharaToken", "FaucetClaimed", block=20, account=who.address, amount=1, nextClaimAt=0)
    game.feed(claim)
    game.feed(claim)
    assert count(game, WaysideLog, address=who.address.lower()) == 1
    game.retract(20)
    assert count(game, WaysideLog, address=who.address.lower()) == 0
    assert arrive(game, who)[1] == []
