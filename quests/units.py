"""SAHARA amounts: 18-decimal wei on chain, whole tokens in YAML and in what players read."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DECIMALS = 18
WEI_PER_SAHARA = 10**DECIMALS


def to_wei(tokens: int | str | Decimal) -> int:
    """Convert a SAHARA amount (``100``, ``"0.5"``) to wei. Raises ``ValueError`` when the
    amount is not a non-negative number with at most 18 decimals."""
    if isinstance(tokens, bool) or not isinstance(tokens, int | str | Decimal):
        raise ValueError(f"expected a SAHARA amount, got {tokens!r}")
    try:
        value = Decimal(str(tokens).strip())
    except InvalidOperation:
        raise ValueError(f"expected a SAHARA amount, got {tokens!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"expected a non-negative SAHARA amount, got {tokens!r}")
    wei = value * WEI_PER_SAHARA
    if wei != wei.to_integral_value():
        raise ValueError(f"{tokens!r} has more than {DECIMALS} decimals")
    return int(wei)


def format_sahara(wei: int) -> str:
    """Whole tokens as players read them: ``40`` for 40e18 wei, ``0.5`` for 5e17."""
    value = Decimal(wei) / WEI_PER_SAHARA
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")
