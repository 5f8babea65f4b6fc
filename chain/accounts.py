"""Who signs what.

On the bundled devnet every role comes from the devnet's well-known dev mnemonic. On any
other network the keys come from the environment (or the instance folder), never from
code: a production deployment without a signer key refuses to start.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount

from chain.errors import ConfigError
from chain.txmanager import account_from_key

DEV_MNEMONIC = "test test test test test test test test test test test junk"

# Dev-mnemonic indices for the suite's roles on the devnet.
DEPLOYER, FAUCET, ATTESTER, VALIDATOR_POOL, MINTER = 0, 1, 2, 3, 4
FIRST_PLAYER_INDEX = 10


@dataclass(frozen=True)
class Signers:
    deployer: LocalAccount  # admin and label reviewer
    minter: LocalAccount  # the reward worker's key: mints shards and SAHARA in batches
    faucet: LocalAccount  # claims for players without gas
    attester: LocalAccount  # signs agent invocations (stands in for a TEE)
    validator_pool: str  # receives the validators' share of sales

    def all(self) -> list[LocalAccount]:
        return [self.deployer, self.minter, self.faucet, self.attester]


def dev_account(index: int) -> LocalAccount:
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(DEV_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")


def dev_signers() -> Signers:
    return Signers(
        deployer=dev_account(DEPLOYER),
        minter=dev_account(MINTER),
        faucet=dev_account(FAUCET),
        attester=dev_account(ATTESTER),
        validator_pool=dev_account(VALIDATOR_POOL).address,
    )


def _key(env: Mapping[str, str], name: str, instance_path: Path | None) -> str | None:
    if env.get(name):
        return env[name]
    if instance_path is not None:
        path = instance_path / "keys" / f"{name.lower()}"
        if path.exists():
            return path.read_text().strip()
    return None


def signers_from_env(env: Mapping[str, str] | None = None,
                     instance_path: Path | None = None) -> Signers:
    """Signers for a non-devnet network: ``CHAIN_SIGNER_KEY`` is required; the minter,
    faucet and attester keys default to it; the validator pool to the signer's address."""
    env = os.environ if env is None else env
    signer_key = _key(env, "CHAIN_SIGNER_KEY", instance_path)
    if not signer_key:
        raise ConfigError("CHAIN_SIGNER_KEY is not set (environment or instance/keys/)")
    deployer = account_from_key(signer_key)
    minter_key = _key(env, "CHAIN_MINTER_KEY", instance_path)
    faucet_key = _key(env, "CHAIN_FAUCET_KEY", instance_path)
    attester_key = _key(env, "CHAIN_ATTESTER_KEY", instance_path)
    return Signers(
        deployer=deployer,
        minter=account_from_key(minter_key) if minter_key else deployer,
        faucet=account_from_key(faucet_key) if faucet_key else deployer,
        attester=account_from_key(attester_key) if attester_key else deployer,
        validator_pool=env.get("CHAIN_VALIDATOR_POOL") or deployer.address,
    )
