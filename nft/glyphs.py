"""Region glyphs for the token art, drawn in a 200 x 200 box centred on the origin.

gate = an arch, oasis = a water drop, forge = a gear, bazaar = a tent with a pennant,
citadel = a crenellated tower. Each glyph is a few bold closed shapes: a ``body`` filled
with the ink's fill colour, ``void`` openings filled with the dark colour, all outlined.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Ink:
    """How to paint a glyph: body fill, opening fill, outline colour and width (glyph units)."""

    fill: str
    void: str
    line: str
    width: float


def num(value: float, digits: int = 1) -> str:
    """A number as short, stable text: 12, 12.5, -3.2 (trailing zeros dropped)."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _shape(d: str, fill: str, ink: Ink) -> str:
    return (
        f'<path d="{d}" fill="{fill}" stroke="{ink.line}" stroke-width="{num(ink.width)}" '
        'stroke-linejoin="round" stroke-linecap="round"/>'
    )


def _gate(ink: Ink) -> list[str]:
    return [
        _shape("M-72 84V-4A72 72 0 0 1 72 -4V84Z", ink.fill, ink),
        _shape("M-30 84V14A30 30 0 0 1 30 14V84Z", ink.void, ink),
        _shape("M-14 -92H14L10 -66H-10Z", ink.line, ink),  # keystone
        _shape("M-92 84H92", "none", ink),
    ]


def _oasis(ink: Ink) -> list[str]:
    return [
        _shape("M0 -92C24 -56 64 -20 64 22A64 64 0 0 1 -64 22C-64 -20 -24 -56 0 -92Z",
               ink.fill, ink),
        _shape("M-38 26Q-19 10 0 26T38 26", "none", ink),
        _shape("M-26 54Q-13 42 0 54T26 54", "none", ink),
    ]


def _gear_path(teeth: int = 8, outer: float = 88, root: float = 66) -> str:
    points = []
    step = 360 / teeth
    for tooth in range(teeth):
        centre = tooth * step - 90
        for radius, offset in ((root, -15), (outer, -9), (outer, 9), (root, 15)):
            angle = math.radians(centre + offset)
            points.append(f"{num(radius * math.cos(angle))} {num(radius * math.sin(angle))}")
    return "M" + "L".join(points) + "Z"


def _forge(ink: Ink) -> list[str]:
    return [
        _shape(_gear_path(), ink.fill, ink),
        _shape("M-28 0A28 28 0 1 0 28 0A28 28 0 1 0 -28 0Z", ink.void, ink),
    ]


def _bazaar(ink: Ink) -> list[str]:
    return [
        _shape("M0 -62V-96", "none", ink),
        _shape("M0 -98L40 -86L0 -74Z", ink.line, ink),  # pennant
        _shape("M-88 82L0 -62L88 82Z", ink.fill, ink),
        _shape("M0 -62L-40 82M0 -62L40 82", "none", ink),  # stripes
        _shape("M-26 82L0 22L26 82Z", ink.void, ink),  # door
    ]


def _citadel(ink: Ink) -> list[str]:
    return [
        _shape("M-48 86V-36H-64V-90H-38V-68H-13V-90H13V-68H38V-90H64V-36H48V86Z", ink.fill, ink),
        _shape("M-20 86V54A20 20 0 0 1 20 54V86Z", ink.void, ink),
        _shape("M-9 -2V-26A9 9 0 0 1 9 -26V-2Z", ink.void, ink),
    ]


GLYPHS: dict[str, Callable[[Ink], list[str]]] = {
    "gate": _gate,
    "oasis": _oasis,
    "forge": _forge,
    "bazaar": _bazaar,
    "citadel": _citadel,
}


def glyph(region_key: str, ink: Ink, x: float, y: float, scale: float) -> str:
    """The region's glyph centred at ``(x, y)``; ``ink.width`` is in final (512 box) pixels."""
    scaled = Ink(ink.fill, ink.void, ink.line, ink.width / scale)
    body = "".join(GLYPHS[region_key](scaled))
    return f'<g transform="translate({num(x)} {num(y)}) scale({num(scale, 3)})">{body}</g>'
