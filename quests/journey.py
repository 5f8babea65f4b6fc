"""One player's quests inside the caller's transaction: find the record of a period, feed
it evidence through the pure engine, persist the step, and complete it (completion row,
leaderboard totals, the sink, referrals).

The service functions in ``quests.service`` are thin wrappers around ``Journey``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quests import queries
from quests.campaign_store import calendar_of
from quests.campaigns import Calendar
from quests.definitions import Catalog, Quest, Recurrence
from quests.engine import Step, advance, refresh
from quests.evidence import ChainEvent, Evidence, ReferralActivated
from quests.evidence import Player as Wallet
from quests.leaderboard import add_scores, score_deltas
from quests.objectives import ReferralObjective
from quests.orm import Player
from quests.ports import Completion, CompletionSink
from quests.progress import QuestProgress, Standing, Status, period_key, standing
from quests.referrals import is_activated
from quests.store import QuestCompletion, QuestEvidence, QuestInbox, QuestRecord, json_ready, keep_in_inbox
from quests.world import region

_sink: CompletionSink | None = None
OPEN = (Status.AVAILABLE, Status.IN_PROGRESS)


def install_sink(sink: CompletionSink | None) -> None:
    """Choose where completions go for this process (the composition root does this)."""
    global _sink
    _sink = sink


def installed_sink() -> CompletionSink:
    if _sink is None:
        raise RuntimeError("no CompletionSink installed: legends.create_app installs one; "
                           "tests pass sink=...")
    return _sink


class Journey:
    """``player``'s quests at ``now`` (``player`` may be detached: only id and address are read)."""

    def __init__(self, session: Session, catalog: Catalog, player: Player, now: datetime,
                 sink: CompletionSink | None = None) -> None:
        self.session, self.catalog, self.player = session, catalog, player
        self.now, self.sink = now, sink
        self.wallet = Wallet(player.address)
        self._completed: dict[str, datetime] | None = None
        self._calendar: Calendar | None = None
        self._blocks: dict[str, int] = {}
        self._records: dict[tuple[str, str], QuestRecord | None] | None = None
        self._prelocked = False
        self._periods = frozenset(period_key(r, now) for r in Recurrence)

    def preload(self, records: dict[tuple[str, str], QuestRecord],
                completed: list[tuple[str, datetime, int | None]], *, locked: bool = False) -> Journey:
        """Take the records of the current periods and the completions as read for a batch
        of players together (``quests.batch``), instead of reading them here; ``locked``:
        they were read under their row locks, so a locked read of them is answered here."""
        self._records, self._prelocked = dict(records), locked
        self._completed = {quest_id: at for quest_id, at, _ in completed}
        self._blocks = {quest_id: block or 0 for quest_id, _, block in completed}
        return self

    @property
    def calendar(self) -> Calendar:
        if self._calendar is None:
            self._calendar = calendar_of(self.session)
        return self._calendar

    def campaign_gate(self, quest: Quest) -> Standing | None:
        """The campaign calendar's word on the quest now (None: it is in no campaign)."""
        return self.calendar.gate(quest.id, self.now)

    @property
    def completed(self) -> dict[str, datetime]:
        """Quest id -> when this player last completed it (any period)."""
        if self._completed is None:
            rows = self.session.execute(queries.COMPLETED, {"player": self.player.id}).all()
            self._completed = {quest_id: at for quest_id, at, _ in rows}
            self._blocks = {quest_id: block or 0 for quest_id, _, block in rows}
        return self._completed

    def opening_block(self, quest: Quest) -> int:
        """The first block whose logs count for ``quest`` (the counting rule, docs/world.md):
        the block of the log that met its last prerequisite (its own, or its region's). 0 when
        it has none, or when they were met off chain (an answer, a reading): from the start."""
        needs = quest.prerequisites | region(quest.region).unlock_after
        _ = self.completed
        return max((self._blocks.get(q, 0) for q in needs), default=0)

    def standing(self, quest: Quest) -> Standing:
        return standing(quest, completed=set(self.completed), now=self.now,
                        last_completed_at=self.completed.get(quest.id),
                        campaign=self.campaign_gate(quest), titles=self.catalog.titles)

    def records(self) -> dict[tuple[str, str], QuestRecord | None]:
        """The player's records of the periods running now, (quest id, period) -> record,
        read in one statement (the unique (player, quest, period) index) the first time."""
        if self._records is None:
            found = self.session.scalars(queries.RECORDS_OF_PERIODS, {
                "player": self.player.id, "periods": sorted(self._periods)})
            self._records = {(r.quest_id, r.period): r for r in found}
        return self._records

    def record(self, quest: Quest, period: str, *, lock: bool = False) -> QuestRecord | None:
        """One period's record: ``lock`` reads it afresh under its row lock; otherwise the
        current periods come from ``records`` (one read for every quest)."""
        if (not lock or self._prelocked) and period in self._periods:
            return self.records().get((quest.id, period))
        row = self.session.scalar(queries.RECORD_LOCKED if lock else queries.RECORD,
                                  {"player": self.player.id, "quest": quest.id, "period": period})
        if self._records is not None and period in self._periods:
            self._records[(quest.id, period)] = row
        return row

    def current(self, quest: Quest, *, lock: bool = False) -> tuple[QuestRecord | None, QuestProgress]:
        """The stored record of the current period (or None) and the progress to use now."""
        row = self.record(quest, period_key(quest.recurrence, self.now), lock=lock)
        progress = refresh(quest, row.to_progress() if row else None, completed=set(self.completed),
                           now=self.now, last_completed_at=self.completed.get(quest.id),
                           campaign=self.campaign_gate(quest))
        return row, progress

    def save(self, quest: Quest, row: QuestRecord | None, progress: QuestProgress) -> QuestRecord:
        if row is None:
            row = QuestRecord(player_id=self.player.id, quest_id=quest.id, period=progress.period)
            self.session.add(row)
            if self._records is not None:
                self._records[(quest.id, progress.period)] = row
        row.store(progress)
        self.session.flush()
        # A sink may want every step, not just completions (live progress for the player).
        progressed = getattr(self.sink or _sink, "progressed", None)
        if progressed is not None:
            progressed(self.session, self.player, quest, progress)
        return row

    # -- feeding evidence -------------------------------------------------------------------
    def feed(self, quest: Quest, evidence: Evidence) -> tuple[Step, list[Completion]]:
        """Feed off-chain evidence (an answer, a reading, a check-in, a referral) to the
        current record; an available quest starts by itself."""
        row, progress = self.current(quest, lock=True)
        if not self.calendar.counts(quest.id, self.now):
            return Step(progress, note="outside the campaign's window"), []
        step = advance(quest, progress, evidence, self.wallet, self.now)
        if step.progress == progress:
            return step, []
        row = self.save(quest, row, step.progress)
        return step, self.complete(quest, row, step.progress, None) if step.completed else []

    def keep(self, event: ChainEvent) -> bool:
        """Keep a log of this player in their inbox, whatever their quests' state (a quest
        that opens later reads it back). False when it was already kept."""
        return keep_in_inbox(self.session, self.player.id, event)

    def kept(self, pairs: frozenset[tuple[str, str]], from_block: int) -> list[ChainEvent]:
        """The player's kept logs of these (contract, event) pairs from ``from_block`` on."""
        rows = self.session.scalars(select(QuestInbox).where(
            QuestInbox.player_id == self.player.id, QuestInbox.block_number >= from_block)
            .order_by(QuestInbox.block_number, QuestInbox.log_index))
        return [ChainEvent(contract=r.contract, event=r.event, args=r.args,
                           block_number=r.block_number, tx_hash=r.tx_hash, log_index=r.log_index,
                           timestamp=int(r.block_time.timestamp()))
                for r in rows if (r.contract, r.event) in pairs]

    def offer_event(self, quest: Quest, event: ChainEvent) -> list[Completion]:
        """Feed a log to the quest if it is open to the player (accepted or not) and the log
        is from the quest's opening block on; a log is counted at most once."""
        row, progress = self.current(quest, lock=True)
        if progress.status not in OPEN or event.block_number < self.opening_block(quest):
            return []
        last = self.completed.get(quest.id)
        if last is not None and period_key(quest.recurrence, last) == progress.period:
            return []  # the completion row is the truth, even without a record
        if row is not None and self._seen(quest, row.period, event):
            return []
        if not self.calendar.counts(quest.id, event.at):
            return []  # outside every window of the quest's campaigns
        step = advance(quest, progress, event, self.wallet, self.now)
        if step.progress == progress:
            return []
        self.session.add(evidence_row(self.player.id, quest, step.progress.period, event))
        row = self.save(quest, row, step.progress)
        return self.complete(quest, row, step.progress, event) if step.completed else []

    def open_followers(self, quest: Quest) -> list[Completion]:
        """``quest`` was just completed: the quests it opens count the player's kept logs
        from their opening block on (acting before a quest opens is never punished)."""
        done: list[Completion] = []
        for follower in self.catalog.followers(quest.id):
            pairs = follower.listens_to()
            if not pairs or self.current(follower)[1].status not in OPEN:
                continue
            for event in self.kept(pairs, self.opening_block(follower)):
                done += self.offer_event(follower, event)
        return done

    def _seen(self, quest: Quest, period: str, event: ChainEvent) -> bool:
        return self.session.scalar(queries.EVIDENCE_SEEN, {
            "player": self.player.id, "quest": quest.id, "period": period, "tx": event.tx_hash,
            "log": event.log_index}) is not None

    # -- completing -------------------------------------------------------------------------
    def complete(self, quest: Quest, row: QuestRecord, progress: QuestProgress,
                 event: ChainEvent | None) -> list[Completion]:
        self.session.add(QuestCompletion(
            player_id=self.player.id, quest_id=quest.id, period=row.period, completed_at=self.now,
            tx_hash=event.tx_hash if event else None,
            block_number=event.block_number if event else None,
            log_index=event.log_index if event else None,
            rule_version=quest.rule_version, evidence=[dict(e) for e in progress.evidence]))
        add_scores(self.session, self.player.id, score_deltas(quest.rewards), self.now)
        self.completed[quest.id] = self.now
        if event is not None:
            self._blocks[quest.id] = max(self._blocks.get(quest.id, 0), event.block_number)
        completion = completion_of(self.player, quest, row.period, self.now, progress, event)
        (self.sink or installed_sink()).completed(self.session, completion)
        done = [completion]
        if quest.id in self.catalog.activation_ids:
            done += self._credit_referrer()
        done += self.catch_up_referrals()
        done += self.open_followers(quest)
        return done

    def _credit_referrer(self) -> list[Completion]:
        """This player may just have become an activated invitee: tell their referrer."""
        referrer_id = self.player.__dict__.get("referred_by_id", ...)  # loaded with the player
        if referrer_id is ...:
            referrer_id = self.session.scalar(select(Player.referred_by_id)
                                              .where(Player.id == self.player.id))
        if referrer_id is None or not is_activated(set(self.completed), self.catalog.activation_ids):
            return []
        referrer = self.session.get_one(Player, referrer_id)
        journey = Journey(self.session, self.catalog, referrer, self.now, self.sink)
        return journey.offer_referrals([self.player.address])

    def catch_up_referrals(self) -> list[Completion]:
        """Feed every activated invitee to referral quests that are open now (they may have
        been locked when the invitee activated)."""
        quests = [q for q in self.catalog if _asks_referrals(q) and self.current(q)[1].status in OPEN]
        if not quests:
            return []
        invitees = activated_invitees(self.session, self.player.id, self.catalog.activation_ids)
        return self.offer_referrals(invitees, quests) if invitees else []

    def offer_referrals(self, invitees: list[str], quests: list[Quest] | None = None) -> list[Completion]:
        done: list[Completion] = []
        for quest in quests if quests is not None else [q for q in self.catalog if _asks_referrals(q)]:
            for invitee in invitees:
                _, progress = self.current(quest)
                if progress.status not in OPEN:
                    break
                done += self.feed(quest, ReferralActivated(invitee, self.now))[1]
        return done


def activated_invitees(session: Session, player_id: int, activation_ids: frozenset[str]) -> list[str]:
    """Addresses of the players this one invited who completed every activation quest."""
    if not activation_ids:
        return []
    query = (select(Player.address, func.count(func.distinct(QuestCompletion.quest_id)))
             .join(QuestCompletion, QuestCompletion.player_id == Player.id)
             .where(Player.referred_by_id == player_id, QuestCompletion.quest_id.in_(activation_ids))
             .group_by(Player.address))
    return sorted(a for a, n in session.execute(query) if n == len(activation_ids))


def _asks_referrals(quest: Quest) -> bool:
    return any(isinstance(o, ReferralObjective) for o in quest.all_objectives())


def completion_of(player: Player, quest: Quest, period: str, at: datetime, progress: QuestProgress,
                  event: ChainEvent | None) -> Completion:
    return Completion(
        player_id=player.id, player=player.address, quest_id=quest.id, period=period,
        completed_at=at, rule_version=quest.rule_version, rewards=quest.rewards,
        tx_hash=event.tx_hash if event else None, block_number=event.block_number if event else None,
        log_index=event.log_index if event else None, evidence=tuple(progress.evidence))


def evidence_row(player_id: int, quest: Quest, period: str, event: ChainEvent) -> QuestEvidence:
    return QuestEvidence(
        player_id=player_id, quest_id=quest.id, period=period, contract=event.contract,
        event=event.event, tx_hash=event.tx_hash, log_index=event.log_index,
        block_number=event.block_number, block_time=event.at, args=json_ready(dict(event.args)),
        rule_version=quest.rule_version)
