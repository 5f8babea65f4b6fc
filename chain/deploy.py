"""Idempotent deployer of the suite.

A manifest (chain id, addresses, code hashes, deployment block) is kept by a
:class:`ManifestStore`. A contract's code hash covers its creation bytecode *and* its
constructor arguments, so a contract whose dependency moved is redeployed as well;
everything else is left alone. Wiring (roles, recipes, reward funding) checks the
chain before sending anything, so running ``deploy`` twice sends nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from eth_utils import keccak

from chain import artifacts
from chain.accounts import Signers
from chain.bindings import Suite
from chain.errors import SuiteNotDeployed
from chain.txmanager import TxManager

TOKEN = 10**18
GUARDIAN_RECIPE_SHARDS = 5
REGION_COUNT = 5


@dataclass(frozen=True)
class ManifestEntry:
    name: str
    address: str
    code_hash: str
    block: int


@dataclass
class Manifest:
    chain_id: int
    entries: dict[str, ManifestEntry] = field(default_factory=dict)

    @property
    def addresses(self) -> dict[str, str]:
        return {name: e.address for name, e in self.entries.items()}

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(name for name in artifacts.SUITE if name not in self.entries)

    @property
    def complete(self) -> bool:
        return not self.missing

    def require_complete(self) -> Manifest:
        """This manifest, or :class:`SuiteNotDeployed` when a contract of the suite is missing:
        the one check every reader of the deployed suite makes first."""
        if self.missing:
            raise SuiteNotDeployed(self.chain_id, self.missing)
        return self

    @property
    def version(self) -> str:
        digest = keccak(b"".join(self.entries[n].code_hash.encode() for n in sorted(self.entries)))
        return digest.hex()[:12]


class ManifestStore(Protocol):
    def load(self, chain_id: int) -> Manifest: ...

    def save(self, manifest: Manifest) -> None: ...


@dataclass(frozen=True)
class SuiteParams:
    """Constructor parameters; the defaults suit the devnet (short cooldowns)."""

    metadata_base: str = "http://127.0.0.1:5000"
    faucet_amount: int = 100 * TOKEN
    faucet_cooldown: int = 3600
    faucet_daily_cap: int = 500 * TOKEN
    unstake_cooldown: int = 600
    reward_rate: int = 10**15
    voting_period: int = 600
    execution_delay: int = 300
    proposal_threshold: int = 100 * TOKEN
    quorum: int = 100 * TOKEN
    split_bps: tuple[int, int, int] = (7000, 2000, 1000)
    staking_reward_fund: int = 1_000_000 * TOKEN

    @property
    def uri(self) -> str:
        return self.metadata_base.rstrip("/") + "/metadata/{id}.json"


def constructor_args(name: str, params: SuiteParams, signers: Signers,
                     addr: dict[str, str]) -> list[Any]:
    admin = signers.deployer.address
    guardians = [100 + r for r in range(1, REGION_COUNT + 1)]
    return {
        "SaharaToken": lambda: [admin, params.faucet_amount, params.faucet_cooldown,
                                params.faucet_daily_cap],
        "SaharaID": lambda: [],
        "DataServices": lambda: [admin, addr["SaharaToken"]],
        "AgentRegistry": lambda: [admin, addr["SaharaToken"], signers.attester.address],
        "AIMarketplace": lambda: [admin, addr["SaharaToken"], addr["DataServices"],
                                  addr["AgentRegistry"], signers.validator_pool, *params.split_bps],
        "Staking": lambda: [admin, addr["SaharaToken"], params.unstake_cooldown, params.reward_rate],
        "Governance": lambda: [admin, addr["Staking"], params.voting_period, params.execution_delay,
                               params.proposal_threshold, params.quorum],
        "LegendShards": lambda: [admin, params.uri],
        "LegendRelic": lambda: [admin, addr["LegendShards"], params.uri, guardians],
    }[name]()


Say = Callable[[str], None]


def deploy_suite(tx: TxManager, signers: Signers, store: ManifestStore,
                 params: SuiteParams | None = None, say: Say = print) -> tuple[Manifest, list[str]]:
    """Deploy what is missing or changed; returns the manifest and the names deployed."""
    params = params or SuiteParams()
    chain_id = tx.chain_id
    for account in signers.all():
        tx.add_signer(account)
    deployer = signers.deployer.address
    previous = store.load(chain_id)
    manifest = Manifest(chain_id=chain_id)
    deployed: list[str] = []
    started = time.monotonic()
    for name in artifacts.SUITE:
        art = artifacts.load(name)
        args = constructor_args(name, params, signers, manifest.addresses)
        init_code = art.bytecode + art.abi.encode_constructor(args)
        code_hash = "0x" + keccak(init_code).hex()
        old = previous.entries.get(name)
        if old and old.code_hash == code_hash and tx.chain.code(old.address):
            manifest.entries[name] = old
            say(f"  {name:<14} unchanged at {old.address}")
            continue
        reason = ("new" if old is None else
                  "missing on chain" if old.code_hash == code_hash else "changed")
        receipt = tx.transact(deployer, None, init_code)
        entry = ManifestEntry(name, receipt.contract_address or "", code_hash, receipt.block_number)
        manifest.entries[name] = entry
        deployed.append(name)
        # Saved at once, so a failure later on never forgets what is already on chain.
        store.save(Manifest(chain_id, {**previous.entries, **manifest.entries}))
        say(f"  {name:<14} deployed at {entry.address} ({reason}, block {entry.block})")
    wired = wire_suite(Suite.bind(manifest.addresses, tx), signers, params)
    for step in wired:
        say(f"  wired: {step}")
    store.save(manifest)
    say(f"suite {manifest.version} on chain {chain_id}: {len(deployed)} deployed, "
        f"{len(artifacts.SUITE) - len(deployed)} unchanged "
        f"({time.monotonic() - started:.1f}s)")
    return manifest, deployed


def wire_suite(suite: Suite, signers: Signers, params: SuiteParams) -> list[str]:
    """Roles, recipes and reward funding — each step only when the chain lacks it."""
    admin = signers.deployer.address
    done: list[str] = []

    def grant(contract: Any, role: str, account: str, label: str) -> None:
        if not contract.has_role(role, account):
            contract.transact(admin, "grantRole", contract.call(role), account)
            done.append(label)

    grant(suite.token, "MINTER_ROLE", signers.minter.address, "SaharaToken minter")
    grant(suite.token, "FAUCET_ROLE", signers.faucet.address, "SaharaToken faucet relayer")
    grant(suite.data, "REVIEWER_ROLE", admin, "DataServices reviewer")
    grant(suite.agents, "ATTESTER_ROLE", signers.attester.address, "AgentRegistry attester")
    grant(suite.shards, "MINTER_ROLE", signers.minter.address, "LegendShards minter")
    grant(suite.shards, "FORGE_ROLE", suite.relic.address, "LegendShards forge -> LegendRelic")
    for region in range(1, REGION_COUNT + 1):
        guardian = 100 + region
        recipe = suite.shards.call("recipes", guardian)
        if (recipe.shardId, recipe.amount) != (region, GUARDIAN_RECIPE_SHARDS):
            suite.shards.transact(admin, "setRecipe", guardian, region, GUARDIAN_RECIPE_SHARDS)
            done.append(f"recipe Guardian {guardian} = {GUARDIAN_RECIPE_SHARDS} x shard {region}")
    if suite.token.balance_of(suite.staking.address) == 0 and params.staking_reward_fund:
        # The admin holds MINTER_ROLE from the token's constructor.
        suite.token.transact(admin, "mint", admin, params.staking_reward_fund)
        suite.token.transact(admin, "approve", suite.staking.address, params.staking_reward_fund)
        suite.staking.transact(admin, "fundRewards", params.staking_reward_fund)
        done.append("staking rewards funded")
    return done
