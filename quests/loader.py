"""Load and validate the quest catalog from YAML files.

A catalog file is a mapping::

    region: oasis          # default region of the file's quests (optional)
    quests:
      - id: oasis.first-labels
        ...

Every problem raises ``CatalogError`` naming the file, the quest id and the field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Iterator, Mapping
from pathlib import Path

import yaml

from quests.definitions import Catalog, Quest, parse_quest
from quests.errors import CatalogError, DefinitionError
from quests.fields import Fields
from quests.objectives import EventObjective, Objective, objective_type

KnownEvents = Mapping[str, Collection[str]]
KnownArgs = Mapping[tuple[str, str], Collection[str]]


def catalog_dir() -> Path:
    """The folder of the shipped catalog (``quests/catalog``)."""
    return Path(__file__).resolve().parent / "catalog"


def load_catalog(
    paths: str | Path | Iterable[str | Path] | None,
    known_events: KnownEvents,
    *,
    known_args: KnownArgs | None = None,
) -> Catalog:
    """Load every quest from ``paths`` (files, or folders of ``*.yaml``; ``None`` means
    ``catalog_dir()``) and validate the whole catalog.

    ``known_events`` maps contract name -> its event names (derive it from the ABIs).
    ``known_args``, when given, maps (contract, event) -> arg names, and every arg an event
    objective reads must be among them.
    """
    files = _files(paths)
    quests: dict[str, Quest] = {}
    for file in files:
        for quest in _load_file(file):
            if quest.id in quests:
                first = quests[quest.id].source
                raise CatalogError(str(file), quest.id, "id", f"duplicate id (also in {first})")
            quests[quest.id] = quest
    for quest in quests.values():
        for prerequisite in sorted(quest.prerequisites):
            if prerequisite not in quests:
                raise CatalogError(_src(quest), quest.id, "prerequisites", f"unknown quest {prerequisite!r}")
        _check_events(quest, known_events, known_args)
    _check_cycles(quests)
    return Catalog(quests)


def _files(paths: str | Path | Iterable[str | Path] | None) -> list[Path]:
    if paths is None:
        paths = [catalog_dir()]
    elif isinstance(paths, str | Path):
        paths = [paths]
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted([*path.glob("*.yaml"), *path.glob("*.yml")]))
        elif path.is_file():
            files.append(path)
        else:
            raise CatalogError(str(path), None, None, "no such file or folder")
    if not files:
        raise CatalogError(", ".join(map(str, paths)), None, None, "no catalog files found")
    return files


class _CatalogYamlLoader(yaml.SafeLoader):
    """Safe loader that keeps timestamps as text, so that a bad date is reported by
    ``parse_instant`` with its field instead of crashing inside PyYAML."""


_CatalogYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _load_file(file: Path) -> list[Quest]:
    try:
        data = yaml.load(file.read_text(encoding="utf-8"), Loader=_CatalogYamlLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as e:
        raise CatalogError(str(file), None, None, f"cannot read YAML: {e}") from None
    try:
        f = Fields(data, "")
        default_region = f.text("region", None)
        specs = f.raw("quests")
        f.done()
    except DefinitionError as e:
        raise CatalogError(str(file), None, e.field, e.problem) from None
    if not isinstance(specs, list):
        raise CatalogError(str(file), None, "quests", "expected a list of quests")
    quests = []
    for i, spec in enumerate(specs):
        quest_id = spec.get("id") if isinstance(spec, Mapping) else None
        if not isinstance(quest_id, str):
            quest_id = f"#{i + 1}"
        try:
            quest = parse_quest(spec, "", default_region=default_region)
        except DefinitionError as e:
            raise CatalogError(str(file), quest_id, e.field, e.problem) from None
        quests.append(dataclasses.replace(quest, source=str(file)))
    return quests


def _src(quest: Quest) -> str:
    return quest.source or "<unknown file>"


def _objectives_with_paths(quest: Quest) -> Iterator[tuple[str, Objective]]:
    def visit(objective: Objective, path: str) -> Iterator[tuple[str, Objective]]:
        yield path, objective
        for j, child in enumerate(objective_type(objective).children(objective)):
            yield from visit(child, f"{path}.of[{j}]")

    for i, objective in enumerate(quest.objectives):
        yield from visit(objective, f"objectives[{i}]")


def _check_events(quest: Quest, known: KnownEvents, known_args: KnownArgs | None) -> None:
    for path, objective in _objectives_with_paths(quest):
        if not isinstance(objective, EventObjective):
            continue
        if objective.contract not in known:
            raise CatalogError(
                _src(quest),
                quest.id,
                f"{path}.contract",
                f"unknown contract {objective.contract!r}; known: {', '.join(sorted(known))}",
            )
        if objective.event not in known[objective.contract]:
            raise CatalogError(
                _src(quest),
                quest.id,
                f"{path}.event",
                f"{objective.contract} has no event {objective.event!r}",
            )
        if known_args is None:
            continue
        unknown = sorted(objective.args_used - set(known_args.get((objective.contract, objective.event), ())))
        if unknown:
            raise CatalogError(
                _src(quest),
                quest.id,
                f"{path}.{_arg_field(objective, unknown[0])}",
                f"{objective.contract}.{objective.event} has no arg {unknown[0]!r}",
            )


def _arg_field(objective: EventObjective, arg: str) -> str:
    if any(arg == name for name, _ in objective.filters):
        return f"filters.{arg}"
    if arg in objective.not_player:
        return "not_player"
    return "amount_arg" if arg == objective.amount_arg else "distinct"


def _check_cycles(quests: Mapping[str, Quest]) -> None:
    """Prerequisites must form a DAG; report the first cycle as ``a -> b -> a``."""
    done: set[str] = set()
    trail: list[str] = []

    def visit(quest_id: str) -> None:
        if quest_id in done:
            return
        if quest_id in trail:
            cycle = trail[trail.index(quest_id) :] + [quest_id]
            quest = quests[cycle[0]]
            raise CatalogError(
                _src(quest),
                quest.id,
                "prerequisites",
                "prerequisite cycle: " + " -> ".join(cycle),
            )
        trail.append(quest_id)
        for prerequisite in sorted(quests[quest_id].prerequisites):
            visit(prerequisite)
        trail.pop()
        done.add(quest_id)

    for quest_id in quests:
        visit(quest_id)
