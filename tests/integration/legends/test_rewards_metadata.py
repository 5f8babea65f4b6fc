"""Token metadata and art as wallets fetch them: the contracts' URI, after ERC-1155 ``{id}``
substitution, resolves on the app to schema-shaped JSON whose image is the token's SVG."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from nft.tokens import ALL_TOKEN_IDS

GAME_IDS = list(ALL_TOKEN_IDS)


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.mark.devnet
@pytest.mark.parametrize("token_id", [1, 5, 101, 105])
def test_the_shards_contract_uri_resolves_on_the_app(client, suite, token_id):
    template = suite.shards.call("uri", token_id)
    assert template.endswith("/metadata/{id}.json")
    url = template.replace("{id}", f"{token_id:064x}")  # what a wallet does
    response = client.get(path_of(url))
    assert response.status_code == 200
    body = response.get_json()
    assert {"name", "description", "image", "attributes"} <= set(body)
    art = client.get(path_of(body["image"]))
    assert art.status_code == 200 and art.mimetype == "image/svg+xml"


@pytest.mark.devnet
def test_the_relic_contract_uri_resolves_to_the_legend(client, suite):
    url = suite.relic.call("uri", 1000).replace("{id}", f"{1000:064x}")
    body = client.get(path_of(url)).get_json()
    assert body["name"] == "The Sahara Legend"
    assert {"trait_type": "Rarity", "value": "Legendary"} in body["attributes"]


@pytest.mark.parametrize("token_id", GAME_IDS)
def test_decimal_and_hex_ids_give_the_same_document(client, token_id):
    decimal = client.get(f"/metadata/{token_id}.json")
    hexed = client.get(f"/metadata/{token_id:064x}.json")
    assert decimal.status_code == hexed.status_code == 200
    assert decimal.get_json() == hexed.get_json()
    assert decimal.get_json()["image"] == f"http://127.0.0.1:5000/art/{token_id}.svg"


def test_metadata_uses_the_configured_public_url_and_season(make_app):
    app = make_app(PUBLIC_URL="https://legends.example", SEASON="Season 2")
    body = app.test_client().get("/metadata/3.json").get_json()
    assert body["image"] == "https://legends.example/art/3.svg"
    assert {"trait_type": "Season", "value": "Season 2"} in body["attributes"]


@pytest.mark.parametrize("bad", ["7", "0", "1001", "0x03", "3" * 65, "f" * 64, "-1", "abc",
                                 "0" * 63 + "G"])
@pytest.mark.parametrize("kind", ["metadata/{}.json", "art/{}.svg"])
def test_unknown_ids_are_a_404_naming_the_field(client, bad, kind):
    response = client.get("/" + kind.format(bad))
    assert response.status_code == 404
    assert response.get_json()["field"] == "id"


def test_art_is_svg_cacheable_and_revalidates(client):
    first = client.get("/art/104.svg")
    assert first.status_code == 200 and first.mimetype == "image/svg+xml"
    assert first.data.startswith(b"<svg") and b"<script" not in first.data
    assert "max-age=86400" in first.headers["Cache-Control"]
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    again = client.get("/art/104.svg", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert client.get(f"/art/{104:064x}.svg").data == first.data


def test_metadata_is_cacheable(client):
    response = client.get("/metadata/1000.json")
    assert "max-age=300" in response.headers["Cache-Control"] and response.headers["ETag"]
