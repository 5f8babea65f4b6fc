"""The shipped quest catalog, validated against the compiled ABIs and loaded into the
database (``legends quests load``, ``legends deploy`` and ``legends up``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from chain import artifacts
from quests.definitions import Catalog
from quests.loader import load_catalog
from quests.service import load_catalog_into


@cache
def known_args() -> dict[tuple[str, str], frozenset[str]]:
    """(contract, event) -> the event's arg names, from the committed ABIs."""
    return {
        (name, entry["name"]): frozenset(arg["name"] for arg in entry["inputs"])
        for name, artifact in artifacts.load_suite().items()
        for entry in artifact.raw_abi if entry.get("type") == "event"
    }


def shipped_catalog(paths: Iterable[str | Path] | None = None) -> Catalog:
    """The catalog from ``paths`` (default: ``quests/catalog``), checked against the ABIs."""
    return load_catalog(list(paths) if paths else None, artifacts.known_events(),
                        known_args=known_args())


def load_quests(sessions: sessionmaker[Session], paths: Iterable[str | Path] | None = None,
                say: Callable[[str], None] = print) -> int:
    """Validate and upsert the catalog in one transaction; returns the definitions changed."""
    catalog = shipped_catalog(paths)
    with sessions.begin() as session:
        changed = load_catalog_into(session, catalog)
    say(f"quest catalog loaded: {len(catalog)} quests, {changed} added or changed")
    return changed
