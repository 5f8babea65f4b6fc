"""Crafting recipes as data (``recipes.yaml``) and the crafting preview a player sees.

The file is versioned; the loader refuses anything it does not understand and every error
names the file and the field (``recipes.yaml: recipes[2].needs[7]: unknown token id 7``).
The craft itself is an on-chain burn and mint; :func:`preview` only says whether it would
succeed with the player's current holdings and, if not, what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from nft.tokens import TokenKind, UnknownTokenError, kind_of, token_label, token_name

SUPPORTED_VERSION = 1
DEFAULT_PATH = Path(__file__).with_name("recipes.yaml")

_TOP_FIELDS = {"version", "recipes"}
_RECIPE_FIELDS = {"key", "makes", "needs", "limit"}


class RecipeError(ValueError):
    """A recipes file that cannot be used; ``field`` is the dotted path of the culprit."""

    def __init__(self, source: str, field: str, problem: str) -> None:
        super().__init__(f"{source}: {field}: {problem}")
        self.source = source
        self.field = field
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Recipe:
    """Burn ``needs`` (token id -> count) to make one ``makes``.

    ``limit`` caps how many of ``makes`` a player may ever hold (the Legend: 1).
    """

    key: str
    makes: int
    needs: tuple[tuple[int, int], ...]
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class RecipeBook:
    version: int
    recipes: tuple[Recipe, ...]

    def for_token(self, token_id: int) -> Recipe | None:
        """The recipe that makes ``token_id``, if any."""
        return next((r for r in self.recipes if r.makes == token_id), None)


@dataclass(frozen=True, slots=True)
class Missing:
    token_id: int
    have: int
    need: int

    @property
    def short(self) -> int:
        return self.need - self.have

    def describe(self) -> str:
        """What is missing in words: "2 more Bazaar shards", or "5 Bazaar shards" from none."""
        label = token_label(self.token_id, self.short)
        return label.replace(" ", " more ", 1) if self.have else label


@dataclass(frozen=True, slots=True)
class CraftPreview:
    """Whether the player can craft ``makes`` now; if not, ``reason`` says why in words."""

    recipe_key: str
    makes: int
    name: str
    can_craft: bool
    times: int  # how many could be crafted in a row from current holdings
    missing: tuple[Missing, ...]
    reason: str | None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _token(source: str, field: str, value: object) -> int:
    if not _is_int(value):
        raise RecipeError(source, field, f"token id must be an integer, got {value!r}")
    try:
        kind_of(value)
    except UnknownTokenError:
        raise RecipeError(source, field, f"unknown token id {value}") from None
    return value


def _positive(source: str, field: str, value: object) -> int:
    if not _is_int(value) or value < 1:
        raise RecipeError(source, field, f"must be a positive integer, got {value!r}")
    return value


def _recipe(source: str, at: str, raw: object) -> Recipe:
    if not isinstance(raw, dict):
        raise RecipeError(source, at, "must be a mapping with key, makes, needs")
    unknown = sorted(set(raw) - _RECIPE_FIELDS, key=str)
    if unknown:
        raise RecipeError(source, f"{at}.{unknown[0]}", "unknown field")
    for name in ("key", "makes", "needs"):
        if name not in raw:
            raise RecipeError(source, f"{at}.{name}", "is required")
    key = raw["key"]
    if not isinstance(key, str) or not key.strip():
        raise RecipeError(source, f"{at}.key", f"must be a non-empty string, got {key!r}")
    makes = _token(source, f"{at}.makes", raw["makes"])
    if kind_of(makes) is TokenKind.SHARD:
        raise RecipeError(source, f"{at}.makes", "shards are earned from quests, not crafted")
    needs = raw["needs"]
    if not isinstance(needs, dict) or not needs:
        raise RecipeError(source, f"{at}.needs", "must be a non-empty mapping token id -> count")
    pairs = []
    for token_id, count in needs.items():
        field = f"{at}.needs[{token_id}]"
        token_id = _token(source, field, token_id)
        if token_id == makes:
            raise RecipeError(source, field, "a recipe cannot consume what it makes")
        pairs.append((token_id, _positive(source, field, count)))
    limit = raw.get("limit")
    if limit is not None:
        limit = _positive(source, f"{at}.limit", limit)
    return Recipe(key=key, makes=makes, needs=tuple(sorted(pairs)), limit=limit)


def parse_recipes(data: object, source: str = "recipes") -> RecipeBook:
    """Validate already-parsed YAML data into a :class:`RecipeBook`."""
    if not isinstance(data, dict):
        raise RecipeError(source, "<top>", "must be a mapping with version and recipes")
    unknown = sorted(set(data) - _TOP_FIELDS, key=str)
    if unknown:
        raise RecipeError(source, str(unknown[0]), "unknown field")
    version = data.get("version")
    if version != SUPPORTED_VERSION or not _is_int(version):
        raise RecipeError(
            source, "version", f"unsupported version {version!r} (expected {SUPPORTED_VERSION})"
        )
    raw_recipes = data.get("recipes")
    if not isinstance(raw_recipes, list) or not raw_recipes:
        raise RecipeError(source, "recipes", "must be a non-empty list")
    recipes: list[Recipe] = []
    for index, raw in enumerate(raw_recipes):
        recipe = _recipe(source, f"recipes[{index}]", raw)
        for earlier in recipes:
            if earlier.key == recipe.key:
                raise RecipeError(source, f"recipes[{index}].key", f"duplicate key {recipe.key!r}")
            if earlier.makes == recipe.makes:
                problem = f"{recipe.makes} is already made by {earlier.key!r}"
                raise RecipeError(source, f"recipes[{index}].makes", problem)
        recipes.append(recipe)
    return RecipeBook(version=version, recipes=tuple(recipes))


def load_recipes(path: str | Path | None = None) -> RecipeBook:
    """Load and validate a recipes file (default: the bundled ``nft/recipes.yaml``)."""
    path = Path(path) if path is not None else DEFAULT_PATH
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RecipeError(path.name, "<yaml>", f"not valid YAML ({exc})") from None
    return parse_recipes(data, source=path.name)


def preview(holdings: Mapping[int, int], recipes: RecipeBook) -> list[CraftPreview]:
    """For every recipe, in file order: can the player craft it now, and what is missing.

    ``holdings`` maps token id -> balance; absent ids count as zero.
    """
    for token_id, count in holdings.items():
        if not _is_int(count) or count < 0:
            raise ValueError(f"holdings[{token_id}]: balance must be a non-negative integer")
    previews = []
    for recipe in recipes.recipes:
        missing = tuple(
            Missing(token_id, holdings.get(token_id, 0), need)
            for token_id, need in recipe.needs
            if holdings.get(token_id, 0) < need
        )
        times = min(holdings.get(token_id, 0) // need for token_id, need in recipe.needs)
        reason = None
        if missing:
            reason = "needs " + _join([m.describe() for m in missing])
        if recipe.limit is not None:
            room = max(recipe.limit - holdings.get(recipe.makes, 0), 0)
            times = min(times, room)
            if room == 0:
                reason = f"already holds {token_name(recipe.makes)}"
        previews.append(
            CraftPreview(
                recipe_key=recipe.key,
                makes=recipe.makes,
                name=token_name(recipe.makes),
                can_craft=times > 0,
                times=times,
                missing=missing,
                reason=reason,
            )
        )
    return previews


def _join(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
