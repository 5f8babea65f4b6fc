"""The Oracle of the Dunes: the tiny agent every Forge invocation runs.

A pure, deterministic function of the question (no network, no clock, no randomness), so the
same question always gets the same answer and the attested output hash can be checked by
anyone who asks again.
"""

from __future__ import annotations

import hashlib
import re

NAME = "the Oracle of the Dunes"

OMENS = (
    "a hawk circling twice over the well",
    "a scarab rolling its ball against the wind",
    "a caravan bell ringing with no caravan",
    "three palms leaning toward the Citadel",
    "a dune that moved a finger's width by night",
    "a lamp in the Forge burning blue",
    "a merchant counting coins he does not have",
    "a star falling behind the Bazaar",
)
COUNSEL = (
    "seek it where the shade is longest",
    "trade before the moon is full",
    "ask the reviewers of the Oasis; they have seen more labels than sand",
    "stake your patience as you would your SAHARA",
    "the answer is in the data, not in the dune",
    "what you license today, you will build tomorrow",
    "walk east until the well answers back",
    "vote, for the council hears only those who speak",
)
WORD = re.compile(r"[A-Za-z][A-Za-z'-]{2,}")


def ask(question: str) -> str:
    """The Oracle's answer: an omen and a counsel chosen by the question's digest, around the
    question's weightiest word (the longest; the first of equals)."""
    text = " ".join(question.split())
    digest = hashlib.sha256(text.lower().encode()).digest()
    words = WORD.findall(text)
    subject = max(words, key=len).lower() if words else "silence"
    omen = OMENS[digest[0] % len(OMENS)]
    counsel = COUNSEL[digest[1] % len(COUNSEL)]
    grains = 1 + digest[2] % 99
    return (f"{NAME.capitalize()} weighs '{subject}' against {grains} grains of sand. "
            f"The omen is {omen}: {counsel}.")
