"""The statements of a completion's hot path, built once with bound parameters.

Building a SQLAlchemy statement (``select(...).where(a == b)``) costs more Python than
running it on an index; these are built at import and executed with their parameters, so a
completion pays only for the execution. Names of the parameters are in each docstring.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, select

from quests.store import QuestCompletion, QuestEvidence, QuestRecord

# player, periods (a list): the player's records of those periods.
RECORDS_OF_PERIODS = select(QuestRecord).where(
    QuestRecord.player_id == bindparam("player"),
    QuestRecord.period.in_(bindparam("periods", expanding=True)))

# player, quest, period: one record, read afresh under its row lock.
RECORD_LOCKED = (select(QuestRecord).where(
    QuestRecord.player_id == bindparam("player"), QuestRecord.quest_id == bindparam("quest"),
    QuestRecord.period == bindparam("period"))
    .with_for_update().execution_options(populate_existing=True))

# player, quest, period: one record, as the session holds it.
RECORD = select(QuestRecord).where(
    QuestRecord.player_id == bindparam("player"), QuestRecord.quest_id == bindparam("quest"),
    QuestRecord.period == bindparam("period"))

# player: (quest id, last completed at, last block) per quest the player completed.
COMPLETED = (select(QuestCompletion.quest_id, func.max(QuestCompletion.completed_at),
                    func.max(QuestCompletion.block_number))
             .where(QuestCompletion.player_id == bindparam("player"))
             .group_by(QuestCompletion.quest_id))

# player, quest, period, tx, log: the evidence row of one log, if it was counted.
EVIDENCE_SEEN = select(QuestEvidence.id).where(
    QuestEvidence.player_id == bindparam("player"), QuestEvidence.quest_id == bindparam("quest"),
    QuestEvidence.period == bindparam("period"), QuestEvidence.tx_hash == bindparam("tx"),
    QuestEvidence.log_index == bindparam("log"))

# players (a list), periods (a list): the records of those players and periods (a batch's).
RECORDS_OF_PLAYERS = select(QuestRecord).where(
    QuestRecord.player_id.in_(bindparam("players", expanding=True)),
    QuestRecord.period.in_(bindparam("periods", expanding=True)))

# The same, read afresh under the records' row locks (a verification batch's players).
RECORDS_OF_PLAYERS_LOCKED = (RECORDS_OF_PLAYERS.with_for_update()
                             .execution_options(populate_existing=True))

# players (a list): (player, quest id, last completed at, last block) per quest completed.
COMPLETED_OF_PLAYERS = (select(QuestCompletion.player_id, QuestCompletion.quest_id,
                               func.max(QuestCompletion.completed_at), func.max(QuestCompletion.block_number))
                        .where(QuestCompletion.player_id.in_(bindparam("players", expanding=True)))
                        .group_by(QuestCompletion.player_id, QuestCompletion.quest_id))
