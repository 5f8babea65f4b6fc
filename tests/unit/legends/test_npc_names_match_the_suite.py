"""The game's names for the suite's states are the contracts' own: every member of
``chain.enums`` the NPCs read has a game name, and back."""

from __future__ import annotations

import pytest

from chain import enums
from legends.wiring.scout import asset_kind, kind_value
from quests.npcs.bazaar import AssetKind
from quests.npcs.caravan import LabelStatus
from quests.npcs.council import ProposalState


@pytest.mark.parametrize("game, suite", [
    (ProposalState, enums.Governance.State),
    (LabelStatus, enums.DataServices.Status),
    (AssetKind, enums.AIMarketplace.Kind),
], ids=["proposal state", "label status", "asset kind"])
def test_each_game_name_is_a_member_of_the_suites_enum(game, suite):
    assert {m.name for m in game} == {m.name for m in suite}


def test_asset_kinds_go_to_the_chain_and_back():
    for kind in AssetKind:
        assert asset_kind(kind_value(kind)) is kind
    assert kind_value(AssetKind.MODEL) == enums.AIMarketplace.Kind.MODEL
