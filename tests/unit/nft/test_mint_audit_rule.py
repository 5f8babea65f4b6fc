"""The audit's rule: which mints of a transaction the ledger (or a craft) accounts for."""

from __future__ import annotations

from nft.mint_audit import Mint, MintTx, judge

ALICE, BOB = "0x" + "a1" * 20, "0x" + "b0" * 20
BATCH = "0x" + "11" * 32


def mint(player: str, token_id: int, amount: int, index: int = 0) -> Mint:
    return Mint("0xtx", 7, index, player, token_id, amount, "0x" + "0e" * 20)


def test_a_ledger_batch_accounts_for_exactly_its_entries():
    ledger = {BATCH: [(ALICE, 1, 3), (BOB, 2, 1)]}
    tx = MintTx("0xtx", (mint(ALICE.upper().replace("0X", "0x"), 1, 3), mint(BOB, 2, 1, 1)),
                (BATCH.upper().replace("0X", "0x"),))
    assert judge(tx, ledger) == []


def test_more_than_the_batch_holds_is_reported():
    ledger = {BATCH: [(ALICE, 1, 3)]}
    extra = mint(ALICE, 1, 3, 1)
    assert judge(MintTx("0xtx", (mint(ALICE, 1, 3), extra), (BATCH,)), ledger) == [extra]


def test_a_different_amount_or_player_is_reported():
    ledger = {BATCH: [(ALICE, 1, 3)]}
    for wrong in (mint(ALICE, 1, 15), mint(BOB, 1, 3), mint(ALICE, 2, 3)):
        assert judge(MintTx("0xtx", (wrong,), (BATCH,)), ledger) == [wrong]


def test_a_batch_id_the_ledger_never_made_is_reported():
    stray = mint(ALICE, 1, 15)
    assert judge(MintTx("0xtx", (stray,), ("0x" + "22" * 32,)), {BATCH: [(ALICE, 1, 15)]}) == [stray]


def test_a_crafted_guardian_is_not_reported_but_a_second_one_is():
    first, second = mint(ALICE, 101, 1), mint(ALICE, 101, 1, 1)
    tx = MintTx("0xtx", (first, second), crafted=((ALICE, 101),))
    assert judge(tx, {}) == [second]
