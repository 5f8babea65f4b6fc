"""The catalog loader: every rejection names the file, the quest and the field."""

import textwrap
from datetime import UTC, datetime, timedelta

import pytest

from quests.definitions import Recurrence
from quests.errors import CatalogError
from quests.loader import catalog_dir, load_catalog

KNOWN = {
    "SaharaToken": {"FaucetClaimed", "Transfer"},
    "DataServices": {"LabelSubmitted", "LabelAccepted"},
}
ARGS = {
    ("SaharaToken", "FaucetClaimed"): {"account", "amount", "nextClaimAt"},
    ("DataServices", "LabelSubmitted"): {"labelId", "taskId", "labeler", "contentHash"},
    ("DataServices", "LabelAccepted"): {"labelId", "taskId", "labeler", "reward"},
}

FAUCET = """
  - id: gate.faucet
    title: Water
    story: Drink.
    activation: true
    objectives:
      - {type: event, contract: SaharaToken, event: FaucetClaimed, filters: {account: $player}}
    rewards: {shards: {gate: 2}, xp: 50}
"""


def write(tmp_path, name: str, quests: str, region: str = "gate"):
    path = tmp_path / name
    path.write_text(f"region: {region}\nquests:\n" + textwrap.dedent(quests).strip("\n") + "\n")
    return path


def quest_yaml(quest_id: str, extra: str = "", objective: str | None = None) -> str:
    objective = objective or (
        "{type: event, contract: DataServices, event: LabelSubmitted, filters: {labeler: $player}}"
    )
    return (
        f"  - id: {quest_id}\n    title: T\n    story: S\n"
        f"    objectives:\n      - {objective}\n    rewards: {{xp: 10}}\n"
        + textwrap.indent(textwrap.dedent(extra).strip("\n"), "    ")
        + "\n"
    )


def rejection(tmp_path, quests: str, **kwargs) -> CatalogError:
    path = write(tmp_path, "bad.yaml", quests)
    with pytest.raises(CatalogError) as caught:
        load_catalog([path], KNOWN, **kwargs)
    error = caught.value
    assert error.file == str(path) and str(path) in str(error)
    return error


def assert_names(error: CatalogError, quest_id: str, field: str) -> None:
    assert (error.quest_id, error.field) == (quest_id, field)
    assert quest_id in str(error) and field in str(error)


def test_a_good_file_loads_with_every_field(tmp_path):
    path = write(
        tmp_path,
        "gate.yaml",
        FAUCET
        + quest_yaml(
            "gate.daily",
            """
        recurrence: daily
        cooldown: 20h
        prerequisites: [gate.faucet]
        available_from: 2026-11-01T00:00:00Z
        available_until: "2026-12-01T00:00:00+00:00"
        campaign: season-1
        rule_version: 2
    """,
        ),
    )
    catalog = load_catalog(path, KNOWN, known_args=ARGS)
    daily = catalog.get("gate.daily")
    assert len(catalog) == 2 and "gate.faucet" in catalog
    assert daily.recurrence is Recurrence.DAILY and daily.cooldown == timedelta(hours=20)
    assert daily.available_from == datetime(2026, 11, 1, tzinfo=UTC)
    assert daily.available_until == datetime(2026, 12, 1, tzinfo=UTC)
    assert daily.prerequisites == {"gate.faucet"} and daily.rule_version == 2
    assert daily.source == str(path) and daily.campaign == "season-1"
    assert catalog.activation_ids == {"gate.faucet"}
    assert catalog.get("gate.faucet").rewards.shard_tokens() == {1: 2}
    assert [q.id for q in catalog.listening_to("DataServices", "LabelSubmitted")] == ["gate.daily"]


def test_a_folder_loads_every_yaml_file_in_it(tmp_path):
    write(tmp_path, "a.yaml", FAUCET)
    write(tmp_path, "b.yaml", quest_yaml("oasis.labels"), region="oasis")
    assert {q.id for q in load_catalog(tmp_path, KNOWN)} == {"gate.faucet", "oasis.labels"}


def test_prerequisite_cycle_is_rejected_and_reported(tmp_path):
    error = rejection(
        tmp_path,
        quest_yaml("a", "prerequisites: [b]")
        + quest_yaml("b", "prerequisites: [c]")
        + quest_yaml("c", "prerequisites: [a]"),
    )
    assert_names(error, "a", "prerequisites")
    assert "a -> b -> c -> a" in str(error)


def test_unknown_prerequisite_is_rejected(tmp_path):
    error = rejection(tmp_path, quest_yaml("a", "prerequisites: [gate.nowhere]"))
    assert_names(error, "a", "prerequisites")
    assert "gate.nowhere" in str(error)


def test_unknown_region_is_rejected(tmp_path):
    error = rejection(tmp_path, quest_yaml("a", "region: atlantis"))
    assert_names(error, "a", "region")


def test_unknown_shard_region_is_rejected(tmp_path):
    error = rejection(tmp_path, quest_yaml("a").replace("{xp: 10}", "{shards: {moon: 1}}"))
    assert_names(error, "a", "rewards.shards.moon")


def test_unknown_contract_is_rejected(tmp_path):
    error = rejection(
        tmp_path,
        quest_yaml("a", objective=("{type: event, contract: Oracle, event: Spoke, filters: {who: $player}}")),
    )
    assert_names(error, "a", "objectives[0].contract")


def test_unknown_event_is_rejected(tmp_path):
    error = rejection(
        tmp_path,
        quest_yaml(
            "a", objective=("{type: event, contract: SaharaToken, event: Minted, filters: {to: $player}}")
        ),
    )
    assert_names(error, "a", "objectives[0].event")
    assert "SaharaToken has no event 'Minted'" in str(error)


def test_unknown_event_inside_a_composite_is_named(tmp_path):
    error = rejection(
        tmp_path,
        quest_yaml(
            "a",
            objective=(
                "{type: any, of: [{type: event, contract: SaharaToken, event: Minted, "
                "filters: {to: $player}}]}"
            ),
        ),
    )
    assert_names(error, "a", "objectives[0].of[0].event")


def test_unknown_event_arg_is_rejected_when_args_are_known(tmp_path):
    error = rejection(
        tmp_path,
        quest_yaml(
            "a",
            objective=(
                "{type: event, contract: DataServices, event: LabelSubmitted, filters: {worker: $player}}"
            ),
        ),
        known_args=ARGS,
    )
    assert_names(error, "a", "objectives[0].filters.worker")


def test_unknown_objective_type_is_rejected(tmp_path):
    error = rejection(tmp_path, quest_yaml("a", objective="{type: divination}"))
    assert_names(error, "a", "objectives[0].type")


def test_duplicate_ids_are_rejected(tmp_path):
    first = write(tmp_path, "one.yaml", quest_yaml("a"))
    second = write(tmp_path, "two.yaml", quest_yaml("a"))
    with pytest.raises(CatalogError) as caught:
        load_catalog([first, second], KNOWN)
    assert caught.value.file == str(second) and str(first) in str(caught.value)
    assert_names(caught.value, "a", "id")


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("recurrence: hourly", "recurrence"),
        ("cooldown: soon", "cooldown"),
        ("available_from: 2026-13-45T00:00:00Z", "available_from"),
        ('available_from: "2026-11-01T00:00:00"', "available_from"),
        ("available_from: 2026-12-01\navailable_until: 2026-11-01", "available_until"),
        ("activation: maybe", "activation"),
        ("rule_version: 0", "rule_version"),
        ("reward: {xp: 1}", "reward"),
    ],
)
def test_bad_fields_are_named(tmp_path, extra, field):
    error = rejection(tmp_path, quest_yaml("a", extra))
    assert_names(error, "a", field)


def test_bad_field_inside_an_objective_is_named(tmp_path):
    error = rejection(
        tmp_path,
        quest_yaml(
            "a",
            objective=(
                "{type: event, contract: DataServices, event: LabelSubmitted, "
                "filters: {labeler: $player}, min_count: three}"
            ),
        ),
    )
    assert_names(error, "a", "objectives[0].min_count")


def test_a_quest_without_an_id_is_named_by_position(tmp_path):
    error = rejection(tmp_path, "  - title: Nameless\n")
    assert (error.quest_id, error.field) == ("#1", "id")


def test_broken_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("quests: [\n")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path, KNOWN)
    assert caught.value.file == str(path) and "YAML" in str(caught.value)


def test_two_questions_in_one_quest_are_rejected(tmp_path):
    quiz = "{type: answer, question: Q, accept: [a]}"
    error = rejection(tmp_path, quest_yaml("a", objective=f"{{type: all, of: [{quiz}, {quiz}]}}"))
    assert_names(error, "a", "objectives")


def test_catalog_dir_is_the_packaged_catalog():
    assert catalog_dir().name == "catalog" and any(catalog_dir().glob("*.yaml"))
