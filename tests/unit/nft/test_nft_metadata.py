"""ERC-1155 metadata documents."""

import json

import pytest

from nft.metadata import image_url, metadata_uri, token_metadata
from nft.tokens import ALL_TOKEN_IDS, UnknownTokenError

BASE = "https://legends.example/"


@pytest.mark.parametrize("token_id", ALL_TOKEN_IDS)
def test_every_token_has_the_schema_keys(token_id):
    doc = token_metadata(token_id, base_url=BASE, season="Season 1")
    assert {"name", "description", "image", "external_url", "attributes"} <= set(doc)
    assert doc["image"] == f"https://legends.example/art/{token_id}.svg"
    assert doc["external_url"].startswith("https://legends.example/")
    traits = {a["trait_type"]: a["value"] for a in doc["attributes"]}
    assert set(traits) == {"Region", "Rarity", "Season", "Kind"}
    assert all(set(a) == {"trait_type", "value"} for a in doc["attributes"])
    assert traits["Season"] == "Season 1"
    json.dumps(doc)  # serialisable as is


def test_a_guardians_traits():
    doc = token_metadata(104, base_url=BASE, season="Season 2")
    traits = {a["trait_type"]: a["value"] for a in doc["attributes"]}
    assert doc["name"] == "Guardian of The Bazaar"
    assert traits == {"Region": "The Bazaar", "Rarity": "Epic", "Season": "Season 2",
                      "Kind": "Guardian"}


def test_the_legend_belongs_to_all_regions():
    doc = token_metadata(1000, base_url=BASE, season="Season 1")
    traits = {a["trait_type"]: a["value"] for a in doc["attributes"]}
    assert traits["Region"] == "All regions" and traits["Rarity"] == "Legendary"


def test_the_uri_template_uses_erc1155_id_substitution():
    assert metadata_uri(BASE) == "https://legends.example/metadata/{id}.json"


def test_an_explicit_external_url_wins():
    doc = token_metadata(1, base_url=BASE, season="S1", external_url="https://x.example/t/1")
    assert doc["external_url"] == "https://x.example/t/1"


@pytest.mark.parametrize("base", ["/relative", "legends.example", "ftp://x", ""])
def test_the_base_url_must_be_absolute(base):
    with pytest.raises(ValueError, match="base_url"):
        image_url(base, 1)


def test_unknown_ids_and_empty_seasons_are_refused():
    with pytest.raises(UnknownTokenError):
        token_metadata(6, base_url=BASE, season="Season 1")
    with pytest.raises(ValueError, match="season"):
        token_metadata(1, base_url=BASE, season=" ")
