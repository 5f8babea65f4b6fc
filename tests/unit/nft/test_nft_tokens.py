"""Token ids: shards 1..5, Guardians 101..105, the Legend 1000."""

import pytest

from nft.tokens import (
    ALL_TOKEN_IDS,
    LEGEND_ID,
    Rarity,
    TokenKind,
    UnknownRegionError,
    UnknownTokenError,
    erc1155_hex,
    guardian_id,
    kind_of,
    parse_token_id,
    rarity_of,
    region,
    region_of,
    shard_id,
    token_label,
    token_name,
)


def test_the_five_regions_are_numbered_as_on_chain():
    assert [region(n).key for n in range(1, 6)] == ["gate", "oasis", "forge", "bazaar", "citadel"]
    assert region("oasis").name == "The Data Oasis"


def test_shard_and_guardian_ids_follow_the_region_number():
    assert shard_id("bazaar") == 4
    assert guardian_id("bazaar") == 104
    assert guardian_id(1) == 101
    assert LEGEND_ID == 1000
    assert ALL_TOKEN_IDS == (1, 2, 3, 4, 5, 101, 102, 103, 104, 105, 1000)


@pytest.mark.parametrize("ref", ["sahara", 0, 6, True])
def test_an_unknown_region_is_refused(ref):
    with pytest.raises(UnknownRegionError):
        region(ref)


@pytest.mark.parametrize(
    ("token_id", "kind", "region_key", "rarity"),
    [
        (1, TokenKind.SHARD, "gate", Rarity.COMMON),
        (5, TokenKind.SHARD, "citadel", Rarity.COMMON),
        (103, TokenKind.GUARDIAN, "forge", Rarity.EPIC),
        (1000, TokenKind.LEGEND, None, Rarity.LEGENDARY),
    ],
)
def test_kind_region_and_rarity_of_a_token(token_id, kind, region_key, rarity):
    assert kind_of(token_id) is kind
    place = region_of(token_id)
    assert (place.key if place else None) == region_key
    assert rarity_of(token_id) is rarity


@pytest.mark.parametrize("token_id", [0, 6, 100, 106, 999, 1001, -1, True, "1"])
def test_unknown_token_ids_get_a_clear_error(token_id):
    with pytest.raises(UnknownTokenError):
        kind_of(token_id)


def test_token_names_read_in_the_games_words():
    assert token_name(4) == "Bazaar Shard"
    assert token_name(102) == "Guardian of The Data Oasis"
    assert token_name(1000) == "The Sahara Legend"
    assert token_label(4, 2) == "2 Bazaar shards"
    assert token_label(101, 1) == "1 Gate Guardian"


def test_ids_parse_from_decimal_and_from_erc1155_hex():
    assert parse_token_id("104") == 104
    assert parse_token_id("0" * 61 + "3e8") == 1000
    assert parse_token_id(erc1155_hex(105)) == 105
    assert erc1155_hex(1000) == "0" * 61 + "3e8"


@pytest.mark.parametrize(
    "text",
    ["", "0x68", "-1", "1.0", " 1", "0" * 61 + "3E8", "0" * 63, "0" * 65, "abc", "7", "0" * 64],
)
def test_malformed_or_unknown_ids_are_refused_naming_the_input(text):
    with pytest.raises(UnknownTokenError):
        parse_token_id(text)


def test_the_error_for_an_unknown_id_names_it():
    with pytest.raises(UnknownTokenError, match="unknown token id 7"):
        parse_token_id("7")
