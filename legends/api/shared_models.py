"""Types several views' models share: addresses, hashes, amounts in wei, transactions."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from legends.api.contract import Reply

Address = Annotated[str, Field(pattern=r"^0x[0-9a-fA-F]{40}$", examples=["0x" + "ab" * 20])]
TxHash = Annotated[str, Field(pattern=r"^0x[0-9a-fA-F]{64}$")]
Hex = Annotated[str, Field(pattern=r"^0x[0-9a-fA-F]*$")]
Wei = Annotated[str, Field(pattern=r"^[0-9]+$", description="An amount in wei, as a decimal string")]
Moment = Annotated[str, Field(description="An ISO 8601 date and time (UTC)")]


class Transaction(Reply):
    """A transaction for the player's own wallet to send."""

    sender: Address = Field(alias="from")
    to: Address
    data: Hex
    value: Hex
    chain_id: int = Field(ge=1)
