"""Bodies of the quest views: cards, details, actions, answers, the "why" report, check-ins
and referrals."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from legends.api.campaigns_models import PublicCampaign
from legends.api.contract import Reply
from legends.api.shared_models import Address, Moment
from quests.definitions import QUEST_ID
from quests.world import REGION_KEYS

QuestId = Annotated[str, Field(pattern=QUEST_ID.pattern, max_length=80)]
RegionKey = Literal[tuple(sorted(REGION_KEYS))]  # type: ignore[valid-type]
Status = Literal["locked", "available", "in_progress", "completed", "rewarded"]
MAX_ANSWER = 200


class QuestPath(BaseModel):
    quest_id: QuestId = Field(description="A quest id such as gate.faucet")


class QuestsQuery(BaseModel):
    region: RegionKey | None = Field(None, description="Only this region's quests")


class ReferralsQuery(BaseModel):
    limit: int = Field(50, ge=1, le=200, description="How many invitees per page")
    after: int | None = Field(None, ge=1, le=2**53,
                              description="An invitee id from `next`: the page after them")


class AnswerBody(BaseModel):
    answer: str = Field(min_length=1, max_length=MAX_ANSWER, pattern=r"\S",
                        description="The answer (letter case and outer spaces do not matter)")


class Rewards(Reply):
    shards: dict[str, int] = Field(description="Shards by region key")
    sahara: int = Field(ge=0)
    xp: int = Field(ge=0)


class QuestCard(Reply):
    id: QuestId
    region: str
    title: str
    recurrence: Literal["once", "daily", "weekly"]
    status: Status
    period: str
    reason: str | None = Field(description="Why the quest is locked, when it is")
    rewards: Rewards
    on_chain: bool
    checks_state: bool
    asks: bool
    accepted_block: int | None = Field(ge=0)


class Question(Reply):
    question: str
    choices: list[str]


class ObjectiveLine(Reply):
    title: str
    type: str
    met: bool
    reason: str | None


class QuestDetail(QuestCard):
    story: str
    prerequisites: list[str]
    campaign: str | None
    available_from: Moment | None
    available_until: Moment | None
    cooldown_seconds: int = Field(ge=0)
    next_reset: Moment | None
    question: Question | None
    objectives: list[ObjectiveLine]
    completed_at: Moment | None
    rewarded_at: Moment | None
    campaigns: list[PublicCampaign] = Field(default_factory=list, description="The quest's campaigns")
    reward_withheld: str | None = Field(None, description="Why this completion was not rewarded")
    reward_note: str | None = Field(None, description="Why a completion now would not be rewarded")


class QuestList(Reply):
    quests: list[QuestCard]
    signed_in: bool


class QuestAction(Reply):
    quest: QuestDetail
    completed: list[str] = Field(description="Quests this action completed")
    reasons: list[str] = Field(description="What is still missing, in the game's words")


class Judged(QuestAction):
    correct: bool


class EvidenceRef(BaseModel):
    """One piece of evidence: its ``kind`` says which keys follow (event, state, answer, ...)."""

    model_config = ConfigDict(extra="allow")

    kind: str | None = None


class ObjectiveReport(Reply):
    path: str
    type: str
    title: str
    met: bool
    reason: str | None
    evidence: list[EvidenceRef]
    parts: list[ObjectiveReport]


class Seen(Reply):
    contract: str
    event: str
    tx_hash: str
    block_number: int = Field(ge=0)
    log_index: int = Field(ge=0)
    args: dict[str, Any]
    verdict: Literal["counted", "ignored", "seen", "before_opening"]
    why: str | None


class IndexerLag(Reply):
    lag_blocks: int | None
    caught_up: bool


class Why(Reply):
    quest_id: QuestId
    title: str
    region: str
    status: Status
    period: str | None
    reason: str | None
    met: bool
    objectives: list[ObjectiveReport]
    evidence: list[EvidenceRef]
    evidence_seen: list[Seen]
    accepted_block: int | None
    opening_block: int | None = Field(description="The block from which your transactions count "
                                                  "for this quest (None while it is not open to you)")
    indexer: IndexerLag
    hints: list[str]


class CheckedIn(Reply):
    already_checked_in: bool
    streak: int = Field(ge=0)
    best_streak: int = Field(ge=0)
    day: str | None
    completed: list[str]


class Invitee(Reply):
    address: Address
    joined_at: Moment | None
    activated: bool
    missing: list[str]


class Referrals(Reply):
    referral_code: str
    activation_quests: list[str]
    invited: int = Field(ge=0)
    activated: int = Field(ge=0)
    invitees: list[Invitee]
    next: int | None = Field(ge=1, description="Pass as `after` for the next page; null on the last")


TxHash = Annotated[str, Field(pattern=r"^0x[0-9a-fA-F]{64}$", description="A transaction hash")]


class ExplainBody(BaseModel):
    tx: TxHash


class ExplainedError(Reply):
    name: str | None
    contract: str | None
    args: dict[str, Any]


class ExplainedEvent(Reply):
    contract: str
    event: str
    log_index: int = Field(ge=0)
    what: str = Field(description="The event in the player's words")
    verdict: Literal["counted", "ignored", "too_early", "not_yet_seen", "not_counted", "unrelated"]
    why: str | None


class Explained(Reply):
    tx: str
    quest_id: QuestId
    quest: str = Field(description="The quest's title")
    block_number: int | None
    outcome: Literal["pending", "reverted", "counted", "not_counted"]
    explanation: str = Field(description="What happened, in words")
    next: str = Field(description="The next concrete step")
    error: ExplainedError | None = Field(description="The decoded custom error of a reverted one")
    events: list[ExplainedEvent]
