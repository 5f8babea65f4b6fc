"""The enum values read from the artifacts are the ones the deployed contracts answer."""

from __future__ import annotations

import pytest

from chain import enums

pytestmark = pytest.mark.devnet


def test_every_extracted_constant_family_matches_its_getter_on_chain(suite):
    by_name = {c.contract_name: c for c in suite.all()}
    checked = 0
    for name, contract in by_name.items():
        for family in enums.of(name):
            for member in family:
                getter = f"{family.__name__.upper()}_{member.name}"
                if getter in contract.abi.functions:
                    assert contract.call(getter) == member.value, getter
                    checked += 1
    assert checked >= 14
