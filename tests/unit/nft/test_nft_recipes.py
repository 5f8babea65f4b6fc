"""Crafting recipes: the bundled file, loader errors, and the preview a player sees."""

import pytest

from nft.recipes import RecipeError, load_recipes, parse_recipes, preview


@pytest.fixture(scope="module")
def book():
    return load_recipes()


def _valid():
    return {
        "version": 1,
        "recipes": [
            {"key": "guardian-gate", "makes": 101, "needs": {1: 5}},
            {"key": "legend", "makes": 1000, "needs": {101: 1}, "limit": 1},
        ],
    }


def test_the_bundled_recipes_make_five_guardians_and_the_legend(book):
    assert book.version == 1
    assert [r.makes for r in book.recipes] == [101, 102, 103, 104, 105, 1000]
    assert book.for_token(104).needs == ((4, 5),)
    assert book.for_token(1000).needs == tuple((g, 1) for g in (101, 102, 103, 104, 105))
    assert book.for_token(4) is None


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        (lambda d: d.update(version=2), "version", "unsupported version"),
        (lambda d: d.pop("version"), "version", "unsupported version"),
        (lambda d: d.update(version=True), "version", "unsupported version"),
        (lambda d: d.update(colour="red"), "colour", "unknown field"),
        (lambda d: d.update(recipes=[]), "recipes", "non-empty list"),
        (lambda d: d["recipes"][0].pop("needs"), "recipes[0].needs", "is required"),
        (lambda d: d["recipes"][0].update(cost=3), "recipes[0].cost", "unknown field"),
        (lambda d: d["recipes"][1].update(key=""), "recipes[1].key", "non-empty string"),
        (lambda d: d["recipes"][0].update(makes=7), "recipes[0].makes", "unknown token id 7"),
        (lambda d: d["recipes"][0].update(makes="101"), "recipes[0].makes", "integer"),
        (lambda d: d["recipes"][0].update(makes=2), "recipes[0].makes", "not crafted"),
        (lambda d: d["recipes"][0].update(needs={}), "recipes[0].needs", "non-empty"),
        (lambda d: d["recipes"][0].update(needs={9: 5}), "recipes[0].needs[9]", "unknown"),
        (lambda d: d["recipes"][0].update(needs={1: 0}), "recipes[0].needs[1]", "positive"),
        (lambda d: d["recipes"][0].update(needs={1: 2.5}), "recipes[0].needs[1]", "positive"),
        (lambda d: d["recipes"][0].update(needs={101: 1}), "recipes[0].needs[101]", "consume"),
        (lambda d: d["recipes"][1].update(limit=0), "recipes[1].limit", "positive"),
        (lambda d: d["recipes"][1].update(key="guardian-gate"), "recipes[1].key", "duplicate"),
        (lambda d: d["recipes"][1].update(makes=101, needs={1: 9}), "recipes[1].makes",
         "already made"),
    ],
)
def test_loader_errors_name_the_field(change, field, problem):
    data = _valid()
    change(data)
    with pytest.raises(RecipeError, match=problem) as caught:
        parse_recipes(data, source="recipes.yaml")
    assert caught.value.field == field
    assert str(caught.value).startswith(f"recipes.yaml: {field}: ")


def test_a_file_that_is_not_yaml_names_the_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("version: [1\n", encoding="utf-8")
    with pytest.raises(RecipeError, match=r"^broken\.yaml: <yaml>: not valid YAML"):
        load_recipes(path)


def test_a_file_that_is_not_a_mapping_is_refused(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- 1\n", encoding="utf-8")
    with pytest.raises(RecipeError, match="must be a mapping"):
        load_recipes(path)


def _by_makes(previews):
    return {p.makes: p for p in previews}


def test_a_player_with_nothing_sees_what_every_recipe_needs(book):
    previews = _by_makes(preview({}, book))
    assert not any(p.can_craft for p in previews.values())
    assert previews[104].reason == "needs 5 Bazaar shards"
    assert previews[1000].reason.startswith("needs 1 Gate Guardian, 1 Data Oasis Guardian")


def test_preview_counts_what_is_missing(book):
    bazaar = _by_makes(preview({4: 3}, book))[104]
    assert not bazaar.can_craft
    assert bazaar.reason == "needs 2 more Bazaar shards"
    assert [(m.token_id, m.have, m.need, m.short) for m in bazaar.missing] == [(4, 3, 5, 2)]


def test_preview_says_when_a_guardian_can_be_crafted_and_how_often(book):
    previews = _by_makes(preview({2: 11, 3: 5}, book))
    assert previews[102].can_craft and previews[102].times == 2
    assert previews[103].can_craft and previews[103].times == 1
    assert previews[102].missing == () and previews[102].reason is None


def test_the_legend_needs_one_of_each_guardian(book):
    four = {101: 1, 102: 1, 103: 1, 104: 2}
    legend = _by_makes(preview(four, book))[1000]
    assert not legend.can_craft
    assert legend.reason == "needs 1 Citadel Guardian"
    legend = _by_makes(preview({**four, 105: 1}, book))[1000]
    assert legend.can_craft and legend.times == 1


def test_a_player_holding_the_legend_cannot_forge_another(book):
    holdings = {101: 2, 102: 2, 103: 2, 104: 2, 105: 2, 1000: 1}
    legend = _by_makes(preview(holdings, book))[1000]
    assert not legend.can_craft
    assert legend.reason == "already holds The Sahara Legend"


def test_negative_balances_are_refused(book):
    with pytest.raises(ValueError, match=r"holdings\[4\]"):
        preview({4: -1}, book)
