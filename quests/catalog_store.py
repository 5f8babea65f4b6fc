"""The catalog in the database: loaded from YAML at deploy time, read back by every process.

``load_catalog_into`` upserts each quest's YAML mapping; ``catalog_of`` re-parses the
stored mappings into a ``Catalog`` (cached until the definitions change), so the web
processes and the indexer all judge by the same, deployed rules.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from quests.definitions import Catalog, Quest, parse_quest
from quests.errors import CatalogError, UnknownQuest
from quests.orm import per_transaction, utcnow
from quests.store import QuestDefinition

_cache_lock = threading.Lock()
_cache: dict[str, tuple[tuple[Any, ...], Catalog]] = {}


class _TextTimestamps(yaml.SafeLoader):
    """Keep timestamps as text (as ``quests.loader`` does), so specs stay JSON-ready."""


_TextTimestamps.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def quest_specs(catalog: Catalog) -> dict[str, dict[str, Any]]:
    """The YAML mapping of every quest, read again from the files the catalog came from,
    with the file's default region filled in."""
    by_file: dict[str, dict[str, Any]] = {}
    specs: dict[str, dict[str, Any]] = {}
    for quest in catalog:
        if quest.source is None:
            raise CatalogError("<unknown file>", quest.id, None, "a stored quest needs its YAML file")
        if quest.source not in by_file:
            by_file[quest.source] = yaml.load(Path(quest.source).read_text(encoding="utf-8"),
                                              Loader=_TextTimestamps)
        data = by_file[quest.source]
        spec = next((s for s in data.get("quests", []) if s.get("id") == quest.id), None)
        if spec is None:
            raise CatalogError(quest.source, quest.id, None, "changed while being loaded")
        specs[quest.id] = _json_ready({**spec, "region": quest.region})
    return specs


def load_catalog_into(session: Session, catalog: Catalog, now: datetime | None = None) -> int:
    """Upsert every quest of ``catalog``; quests no longer in it are retired (their
    players' records stay). Returns how many definitions were added, changed or retired."""
    now = now or utcnow()
    specs = quest_specs(catalog)
    existing = {row.id: row for row in session.scalars(select(QuestDefinition))}
    changed = 0
    for position, quest in enumerate(catalog):
        row = existing.get(quest.id)
        spec = specs[quest.id]
        if row is None:
            row = QuestDefinition(id=quest.id)
            session.add(row)
        elif row.spec == spec and row.retired_at is None:
            if row.position != position:  # only the order moved: not a change of rules
                row.position, row.loaded_at = position, now
            continue
        row.region, row.title, row.spec = quest.region, quest.title, spec
        row.rule_version, row.position = quest.rule_version, position
        row.loaded_at, row.retired_at = now, None
        changed += 1
    for quest_id, row in existing.items():
        if quest_id not in catalog and row.retired_at is None:
            row.retired_at = now
            changed += 1
    session.flush()
    return changed


def catalog_of(session: Session) -> Catalog:
    """The catalog as stored (retired quests left out), cached per database until a load
    changes the definitions."""
    fingerprint = per_transaction(session, "catalog", lambda: tuple(session.execute(
        select(func.count(), func.max(QuestDefinition.loaded_at), func.max(QuestDefinition.retired_at))
    ).one()), (QuestDefinition,))
    url = str(session.get_bind().engine.url)
    with _cache_lock:
        cached = _cache.get(url)
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    rows = session.scalars(select(QuestDefinition).where(QuestDefinition.retired_at.is_(None))
                           .order_by(QuestDefinition.position, QuestDefinition.id))
    quests: dict[str, Quest] = {}
    for row in rows:
        quests[row.id] = parse_quest(row.spec, "")
    catalog = Catalog(quests)
    with _cache_lock:
        _cache[url] = (fingerprint, catalog)
    return catalog


def _json_ready(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def quest_or_404(catalog: Catalog, quest_id: str) -> Quest:
    """The quest with this id; ``UnknownQuest`` (a 404 for the API) otherwise."""
    if quest_id not in catalog:
        raise UnknownQuest(quest_id)
    return catalog.get(quest_id)
