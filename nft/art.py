"""Deterministic SVG art for every token id: same id, byte-identical SVG.

- shards (common): a faceted crystal fragment in the region's palette, the region glyph
  etched on it; the facet outline is jittered from a hash of the id, never from randomness.
- Guardians (epic): a shield in the region's palette with a violet rim and the glyph large.
- the Legend: a radiant golden sigil, the five region glyphs on medallions around a star.

Every drawing is bold shapes and thick strokes in a ``0 0 512 512`` view box so that it
reads at 64 px as well as at 512 px; the only text is the ``<title>``. No scripts, no external
references; gradient ids are prefixed with the token id so several SVGs can be inlined in one
page without clashing.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape

from nft.glyphs import Ink, glyph, num
from nft.tokens import REGIONS, Rarity, TokenKind, kind_of, rarity_of, region_of, token_name


@dataclass(frozen=True, slots=True)
class Palette:
    base: str
    light: str
    dark: str


PALETTES: dict[str, Palette] = {
    "gate": Palette("#E39B2D", "#FFDA8F", "#6B3D0C"),
    "oasis": Palette("#17A7B4", "#93F2EC", "#0A4652"),
    "forge": Palette("#E0502A", "#FFB38C", "#62180A"),
    "bazaar": Palette("#D23C82", "#FFA8D0", "#5C1038"),
    "citadel": Palette("#3A6BDC", "#B0C9FF", "#13275C"),
}
NIGHT = "#120E1E"
RIM = {Rarity.COMMON: "#F2EEF8", Rarity.EPIC: "#C7A6FF", Rarity.LEGENDARY: "#FFD24A"}
GOLD_DEEP = "#B8860B"

_SHARD_OUTLINE = ((250, 44), (352, 138), (386, 284), (318, 450), (204, 468), (132, 318),
                  (154, 140))


@cache
def render_svg(token_id: int) -> str:
    """The SVG document for a token id; raises :class:`UnknownTokenError` for others."""
    kind = kind_of(token_id)
    prefix = f"t{token_id}"
    if kind is TokenKind.SHARD:
        body = _shard(token_id, prefix)
    elif kind is TokenKind.GUARDIAN:
        body = _guardian(token_id, prefix)
    else:
        body = _legend(prefix)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" '
        f'height="512" role="img"><title>{escape(token_name(token_id))}</title>{body}</svg>\n'
    )


def _backdrop(prefix: str, glow: str, opacity: float) -> str:
    return (
        f'<defs><radialGradient id="{prefix}-glow" cx="50%" cy="50%" r="50%">'
        f'<stop offset="0" stop-color="{glow}" stop-opacity="{num(opacity, 2)}"/>'
        f'<stop offset="1" stop-color="{glow}" stop-opacity="0"/></radialGradient></defs>'
        f'<rect width="512" height="512" fill="{NIGHT}"/>'
        f'<circle cx="256" cy="256" r="256" fill="url(#{prefix}-glow)"/>'
    )


def _points(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{num(x)},{num(y)}" for x, y in points)


def _sparkle(x: float, y: float, r: float, colour: str) -> str:
    d = (f"M{num(x)} {num(y - r)}Q{num(x)} {num(y)} {num(x + r)} {num(y)}"
         f"Q{num(x)} {num(y)} {num(x)} {num(y + r)}Q{num(x)} {num(y)} {num(x - r)} {num(y)}"
         f"Q{num(x)} {num(y)} {num(x)} {num(y - r)}Z")
    return f'<path d="{d}" fill="{colour}"/>'


def _shard(token_id: int, prefix: str) -> str:
    place = region_of(token_id)
    palette = PALETTES[place.key]
    seed = hashlib.sha256(f"sahara-legends/shard/{token_id}".encode()).digest()
    jitter = [(b - 128) / 128 * 16 for b in seed]  # deterministic, within +-16 px
    outline = [(x + jitter[2 * i], y + jitter[2 * i + 1]) for i, (x, y) in
               enumerate(_SHARD_OUTLINE)]
    ridge = (258 + jitter[20] / 2, 262 + jitter[21] / 2)
    shades = (palette.light, palette.base, palette.dark, palette.base, palette.light,
              palette.dark, palette.base)
    facets = "".join(
        f'<polygon points="{_points([outline[i], outline[(i + 1) % 7], ridge])}" '
        f'fill="{shades[(i + seed[22]) % 7]}"/>'
        for i in range(7)
    )
    return (
        _backdrop(prefix, palette.base, 0.5)
        + f'<g stroke="{palette.dark}" stroke-width="3" stroke-linejoin="round">{facets}</g>'
        + f'<polygon points="{_points(outline)}" fill="none" stroke="{RIM[Rarity.COMMON]}" '
        'stroke-width="12" stroke-linejoin="round"/>'
        + glyph(place.key, Ink("#FFF8EC", palette.dark, NIGHT, 10), ridge[0], ridge[1] + 8, 0.92)
        + _sparkle(412, 92, 30, palette.light)
        + _sparkle(98, 430, 20, palette.light)
    )


_SHIELD = "M256 40L436 102V246C436 362 356 436 256 476C156 436 76 362 76 246V102Z"


def _guardian(token_id: int, prefix: str) -> str:
    place = region_of(token_id)
    palette = PALETTES[place.key]
    rim = RIM[rarity_of(token_id)]
    return (
        _backdrop(prefix, palette.base, 0.55)
        + f'<defs><linearGradient id="{prefix}-shield" x1="0" y1="0" x2="0" y2="1">'
        f'<stop offset="0" stop-color="{palette.base}"/>'
        f'<stop offset="1" stop-color="{palette.dark}"/></linearGradient></defs>'
        + f'<path d="{_SHIELD}" fill="url(#{prefix}-shield)" stroke="{rim}" stroke-width="20" '
        'stroke-linejoin="round"/>'
        + f'<path d="{_SHIELD}" fill="none" stroke="{palette.light}" stroke-width="7" '
        'stroke-linejoin="round" transform="translate(256 258) scale(0.82) translate(-256 -258)"/>'
        + glyph(place.key, Ink(palette.light, palette.dark, NIGHT, 12), 256, 262, 1.3)
        + f'<path d="M256 14L282 42L256 70L230 42Z" fill="{rim}" stroke="{NIGHT}" '
        'stroke-width="6" stroke-linejoin="round"/>'
    )


def _polar(radius: float, degrees: float, cx: float = 256, cy: float = 256) -> tuple[float, float]:
    angle = math.radians(degrees)
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)


def _legend(prefix: str) -> str:
    gold = RIM[Rarity.LEGENDARY]
    rays = "".join(
        f'<polygon points="{_points([(256, 256), _polar(300, a - 4.5), _polar(300, a + 4.5)])}"/>'
        for a in range(0, 360, 18)
    )
    orbit = [_polar(132, -90 + 72 * k) for k in range(5)]
    pentagram = _points([orbit[k] for k in (0, 2, 4, 1, 3)])
    star = _points([_polar(62 if k % 2 == 0 else 26, -90 + 36 * k) for k in range(10)])
    medallions = "".join(
        f'<circle cx="{num(x)}" cy="{num(y)}" r="54" fill="{PALETTES[r.key].base}" '
        f'stroke="{gold}" stroke-width="10"/>'
        + glyph(r.key, Ink(PALETTES[r.key].light, PALETTES[r.key].dark, NIGHT, 5), x, y, 0.4)
        for r, (x, y) in zip(REGIONS, orbit, strict=True)
    )
    return (
        _backdrop(prefix, gold, 0.6)
        + f'<g fill="{gold}" opacity="0.3">{rays}</g>'
        + f'<circle cx="256" cy="256" r="204" fill="#1E1633" stroke="{gold}" stroke-width="16"/>'
        + f'<circle cx="256" cy="256" r="180" fill="none" stroke="{GOLD_DEEP}" '
        'stroke-width="4"/>'
        + f'<polygon points="{pentagram}" fill="none" stroke="{gold}" stroke-width="8" '
        'stroke-linejoin="round"/>'
        + f'<polygon points="{star}" fill="{gold}" stroke="{NIGHT}" stroke-width="6" '
        'stroke-linejoin="round"/>'
        + '<circle cx="256" cy="256" r="14" fill="#FFF8EC"/>'
        + medallions
    )
