"""ERC-1155 metadata JSON for every token id (EIP-1155 "Metadata JSON Schema").

Both contracts use the URI ``<base>/metadata/{id}.json``; wallets substitute ``{id}`` with
64 lowercase hex characters, the server also accepts the decimal id (see
:func:`nft.tokens.parse_token_id`). ``attributes`` follows the widespread
``{"trait_type", "value"}`` convention that wallets and marketplaces display.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from nft.tokens import (
    LEGEND_ID,
    TokenKind,
    kind_of,
    rarity_of,
    region_of,
    token_name,
)

_REGION_LORE = {
    "gate": "where every traveller proves who they are",
    "oasis": "where labelled data flows like water",
    "forge": "where agents are hammered into shape",
    "bazaar": "where datasets, models and agents change hands",
    "citadel": "where stakers keep watch and vote",
}


def metadata_uri(base_url: str) -> str:
    """The ERC-1155 URI template to set on the contracts: ``<base>/metadata/{id}.json``."""
    return f"{_base(base_url)}/metadata/{{id}}.json"


def image_url(base_url: str, token_id: int) -> str:
    """Absolute URL of a token's SVG art: ``<base>/art/<decimal id>.svg``."""
    kind_of(token_id)  # rejects unknown ids
    return f"{_base(base_url)}/art/{token_id}.svg"


def token_metadata(
    token_id: int, *, base_url: str, season: str, external_url: str | None = None
) -> dict[str, Any]:
    """The metadata document for ``token_id``.

    ``season`` is shown as a trait ("Season 1"); ``external_url`` defaults to the token's page
    ``<base>/tokens/<id>``.
    """
    if not isinstance(season, str) or not season.strip():
        raise ValueError("season: must be a non-empty string such as 'Season 1'")
    kind = kind_of(token_id)
    place = region_of(token_id)
    base = _base(base_url)
    return {
        "name": token_name(token_id),
        "description": _description(token_id),
        "image": image_url(base, token_id),
        "external_url": external_url or f"{base}/tokens/{token_id}",
        "decimals": 0,
        "attributes": [
            {"trait_type": "Region", "value": place.name if place else "All regions"},
            {"trait_type": "Rarity", "value": rarity_of(token_id).value.capitalize()},
            {"trait_type": "Season", "value": season},
            {"trait_type": "Kind", "value": kind.value.capitalize()},
        ],
        "properties": {"soulbound": True, "kind": kind.value},
    }


def _description(token_id: int) -> str:
    kind = kind_of(token_id)
    if token_id == LEGEND_ID:
        return (
            "The Sahara Legend, forged from the five Guardians of the desert. Soulbound: it "
            "stays with the traveller who earned it."
        )
    place = region_of(token_id)
    lore = _REGION_LORE[place.key]
    if kind is TokenKind.SHARD:
        return (
            f"A crystal shard from {place.name}, {lore}. Earned by completing quests there; "
            "enough of them craft the region's Guardian."
        )
    return (
        f"The Guardian of {place.name}, {lore}. Crafted from {place.short} shards; one "
        "Guardian of each region forges the Sahara Legend."
    )


def _base(base_url: str) -> str:
    parts = urlsplit(base_url) if isinstance(base_url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base_url: must be an absolute http(s) URL, got {base_url!r}")
    return base_url.rstrip("/")
