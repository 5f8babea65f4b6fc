"""SaharaID: one soulbound identity per address, with an editable profile URI."""

from __future__ import annotations

import pytest

from chain.errors import ContractRevert

TOKEN = 10**18
ZERO = "0x" + "00" * 20


def test_minting_an_identity_gives_the_next_id_and_its_profile(suite, players):
    first = suite.identity.transact(players[0], "mint", "ipfs://alice")
    assert suite.identity.events(first) == [
        ("Transfer", {"from": ZERO, "to": players[0], "tokenId": 1}),
        ("IdentityMinted", {"owner": players[0], "tokenId": 1, "profileURI": "ipfs://alice"}),
    ]
    second = suite.identity.transact(players[1], "mint", "ipfs://bob")
    assert suite.identity.events(second, "IdentityMinted") == [
        ("IdentityMinted", {"owner": players[1], "tokenId": 2, "profileURI": "ipfs://bob"})]

    assert suite.identity.id_of(players[0]) == 1 and suite.identity.id_of(players[1]) == 2
    assert suite.identity.id_of(players[2]) == 0, "0 means no identity"
    assert suite.identity.call("ownerOf", 1) == players[0]
    assert suite.identity.call("tokenURI", 2) == "ipfs://bob"
    assert suite.identity.call("balanceOf", players[0]) == 1
    assert suite.identity.call("totalSupply") == 2
    assert (suite.identity.call("name"), suite.identity.call("symbol")) == ("Sahara ID", "SID")


def test_a_second_identity_for_the_same_address_is_refused(suite, players):
    suite.identity.transact(players[0], "mint", "ipfs://alice")
    with pytest.raises(ContractRevert) as exc:
        suite.identity.transact(players[0], "mint", "ipfs://alice-again")
    assert exc.value.error == "AlreadyHasIdentity"
    assert exc.value.args_by_name == {"account": players[0]}
    assert suite.identity.call("totalSupply") == 1


def test_updating_the_profile_changes_the_token_uri(suite, players):
    suite.identity.transact(players[0], "mint", "ipfs://alice")
    receipt = suite.identity.transact(players[0], "setProfileURI", "ipfs://alice-v2")
    assert suite.identity.events(receipt) == [
        ("ProfileUpdated", {"owner": players[0], "tokenId": 1, "profileURI": "ipfs://alice-v2"})]
    assert suite.identity.call("tokenURI", 1) == "ipfs://alice-v2"


def test_updating_a_profile_without_an_identity_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.identity.transact(players[0], "setProfileURI", "ipfs://nobody")
    assert exc.value.error == "NoIdentity"
    assert exc.value.args_by_name == {"account": players[0]}


@pytest.mark.parametrize("how", ["transferFrom", "safeTransferFrom", "safeTransferFrom+data"])
def test_an_identity_cannot_be_transferred_by_its_owner(suite, players, how):
    owner, other = players[0], players[1]
    suite.identity.transact(owner, "mint", "ipfs://alice")
    args = [owner, other, 1] + ([b"hi"] if how.endswith("+data") else [])
    with pytest.raises(ContractRevert) as exc:
        suite.identity.transact(owner, how.removesuffix("+data"), *args)
    assert exc.value.error == "Soulbound"
    assert exc.value.contract == "SaharaID"
    assert suite.identity.call("ownerOf", 1) == owner
    assert suite.identity.id_of(other) == 0


def test_an_approved_operator_cannot_move_an_identity_either(suite, players):
    owner, operator = players[0], players[1]
    suite.identity.transact(owner, "mint", "ipfs://alice")
    suite.identity.transact(owner, "setApprovalForAll", operator, True)
    with pytest.raises(ContractRevert) as exc:
        suite.identity.transact(operator, "transferFrom", owner, operator, 1)
    assert exc.value.error == "Soulbound"
    assert suite.identity.call("ownerOf", 1) == owner


def test_the_uri_of_an_unknown_identity_is_an_error(suite):
    with pytest.raises(ContractRevert) as exc:
        suite.identity.call("tokenURI", 99)
    assert exc.value.error == "ERC721NonexistentToken"
    assert exc.value.args_by_name == {"tokenId": 99}
