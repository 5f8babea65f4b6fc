"""Body of ``GET /api/chain``: what the browser needs to send its own transactions."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from legends.api.contract import Reply
from legends.api.shared_models import Address


class Currency(Reply):
    name: str
    symbol: str
    decimals: int = Field(ge=0)


class DeployedContract(Reply):
    address: Address
    abi: list[dict[str, Any]] = Field(description="The contract's ABI, from chain/artifacts")


class ChainForBrowser(Reply):
    chain_id: int = Field(ge=1)
    chain_id_hex: str = Field(pattern=r"^0x[0-9a-f]+$")
    network: str
    chain_name: str = Field(description="What a wallet shows for the chain (wallet_addEthereumChain)")
    rpc_url: str = Field(description="The JSON-RPC URL for players' browsers and wallets")
    currency: Currency
    tx_page: str = Field(description="Path prefix of the app's transaction pages")
    suite_version: str
    contracts: dict[str, DeployedContract] = Field(description="The nine contracts by name")
