"""Deterministic SVG art for all 11 token ids."""

import xml.etree.ElementTree as ET

import pytest

from nft.art import PALETTES, render_svg
from nft.tokens import ALL_TOKEN_IDS, GUARDIAN_IDS, SHARD_IDS, UnknownTokenError, token_name

SVG = "{http://www.w3.org/2000/svg}"
ALLOWED = {"svg", "title", "defs", "radialGradient", "linearGradient", "stop", "rect", "circle",
           "path", "polygon", "g"}


@pytest.mark.parametrize("token_id", ALL_TOKEN_IDS)
def test_art_is_valid_self_contained_svg(token_id):
    text = render_svg(token_id)
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 512 512"
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert tags <= ALLOWED, tags - ALLOWED  # no script, image, text, foreignObject, use
    for el in root.iter():
        for name, value in el.attrib.items():
            assert not name.startswith("on"), name
            assert "href" not in name, name
            assert "url(" not in value or value.startswith("url(#"), value
    assert "http" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert root.find(f"{SVG}title").text == token_name(token_id)


@pytest.mark.parametrize("token_id", ALL_TOKEN_IDS)
def test_same_id_gives_byte_identical_art(token_id):
    first = render_svg(token_id)
    render_svg.cache_clear()
    assert render_svg(token_id).encode() == first.encode()


def test_every_token_has_distinct_art():
    assert len({render_svg(t) for t in ALL_TOKEN_IDS}) == len(ALL_TOKEN_IDS)


@pytest.mark.parametrize("ids", [SHARD_IDS, GUARDIAN_IDS])
def test_each_region_has_its_own_palette(ids):
    for token_id, palette in zip(ids, PALETTES.values(), strict=True):
        assert palette.base in render_svg(token_id)
        others = [p.base for p in PALETTES.values() if p is not palette]
        assert not any(colour in render_svg(token_id) for colour in others)


def test_the_legend_unites_all_five_palettes():
    legend = render_svg(1000)
    assert all(p.base in legend for p in PALETTES.values())


def test_gradient_ids_are_unique_across_tokens_so_svgs_can_be_inlined_together():
    ids = [el.get("id") for t in ALL_TOKEN_IDS for el in ET.fromstring(render_svg(t)).iter()
           if el.get("id")]
    assert len(ids) == len(set(ids))


def test_unknown_ids_have_no_art():
    with pytest.raises(UnknownTokenError):
        render_svg(42)
