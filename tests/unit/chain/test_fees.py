"""Fees of a replacement: both raised by at least the +10% nodes ask, never below the market."""

from __future__ import annotations

import pytest

from chain.errors import RpcError
from chain.fees import GWEI, FeeCapExceeded, Fees, bumped, capped, is_underpriced, market


def test_market_fees_leave_room_for_the_base_fee_to_double():
    assert market(3 * GWEI) == Fees(7 * GWEI, GWEI)
    assert market(10) == Fees(30, 10)  # a tip never above the price itself


@pytest.mark.parametrize("old", [Fees(7 * GWEI, GWEI), Fees(3, 1), Fees(1, 0), Fees(10**12, 10**12)])
def test_a_bump_raises_both_fees_by_more_than_ten_percent(old):
    new = bumped(old, Fees(0, 0))
    assert new.max_fee * 10 >= old.max_fee * 11 and new.max_fee > old.max_fee
    assert new.tip * 10 >= old.tip * 11 and new.tip > old.tip
    assert new.max_fee >= new.tip


def test_a_bump_pays_the_market_when_the_market_rose_more():
    assert bumped(Fees(7 * GWEI, GWEI), Fees(90 * GWEI, 2 * GWEI)) == Fees(90 * GWEI, 2 * GWEI)


@pytest.mark.parametrize("message,underpriced", [
    ("replacement transaction underpriced", True),
    ("transaction underpriced", True),
    ("Replacement Underpriced", True),
    ("nonce too low", False),
    ("insufficient funds for gas * price + value", False),
])
def test_underpriced_answers_are_told_apart(message, underpriced):
    assert is_underpriced(RpcError("eth_sendRawTransaction", -32000, message)) is underpriced


def test_no_cap_leaves_the_fees_as_they_are():
    assert capped(Fees(10**15, GWEI), None, gas_price=10**14, replacing=True) == Fees(10**15, GWEI)
    assert capped(Fees(3 * GWEI, GWEI), 3 * GWEI, gas_price=GWEI, replacing=True) == Fees(3 * GWEI, GWEI)


def test_a_new_transaction_is_lowered_to_the_cap_while_the_gas_price_fits_under_it():
    assert capped(Fees(7 * GWEI, GWEI), 4 * GWEI, gas_price=3 * GWEI, replacing=False) == Fees(4 * GWEI, GWEI)
    high_tip = Fees(7 * GWEI, 5 * GWEI)
    assert capped(high_tip, 4 * GWEI, gas_price=GWEI, replacing=False) == Fees(4 * GWEI, 4 * GWEI)
    with pytest.raises(FeeCapExceeded, match="gas price is 5.000 gwei"):
        capped(Fees(11 * GWEI, GWEI), 4 * GWEI, gas_price=5 * GWEI, replacing=False)


def test_a_replacement_above_the_cap_is_refused_never_lowered():
    # Lowered, it would not outbid what it replaces: the node would refuse it anyway.
    with pytest.raises(FeeCapExceeded, match="outbidding needs maxFeePerGas 4.500 gwei"):
        capped(bumped(Fees(4 * GWEI, GWEI), Fees(0, 0)), 4 * GWEI, gas_price=GWEI, replacing=True)
