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
from typing import TYPE_CHECKING, Any, Protocol

from eth_utils import keccak

from chain import artifacts
from chain.accounts import Signers
from chain.bindings import Suite
from chain.errors import SuiteNotDeployed
from chain.roles import settle_roles
from chain.txmanager import TxManager

if TYPE_CHECKING:
    from chain.keyring import Custody

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
                 params: SuiteParams | None = None, say: Say = print,
                 custody: Custody | None = None) -> tuple[Manifest, list[str]]:
    """Deploy what is missing or changed; returns the manifest and the names deployed.

    With ``custody`` (the devnet): the service keys are topped up with ETH first, contracts
    an older deployment made with ``custody.former`` are kept and their roles handed over,
    and nobody else keeps a role (see :class:`chain.keyring.Custody`)."""
    params = params or SuiteParams()
    chain_id = tx.chain_id
    for account in signers.all():
        tx.add_signer(account)
    former = custody.former if custody else None
    if custody is not None:
        for step in top_up(tx, custody):
            say(f"  funded: {step}")
        for account in former.all() if former else ():
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
        code_hash = _code_hash(art, args)
        old = previous.entries.get(name)
        if old and old.code_hash == code_hash and tx.chain.code(old.address):
            manifest.entries[name] = old
            say(f"  {name:<14} unchanged at {old.address}")
            continue
        if old and former and tx.chain.code(old.address) and old.code_hash == _code_hash(
                art, constructor_args(name, params, former, manifest.addresses)):
            # Deployed with the former keys: kept (players' tokens stay), roles move below.
            manifest.entries[name] = ManifestEntry(name, old.address, code_hash, old.block)
            say(f"  {name:<14} kept at {old.address} (its roles move to this instance's keys)")
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
    wired = wire_suite(Suite.bind(manifest.addresses, tx), signers, params, manifest, custody)
    for step in wired:
        say(f"  wired: {step}")
    store.save(manifest)
    say(f"suite {manifest.version} on chain {chain_id}: {len(deployed)} deployed, "
        f"{len(artifacts.SUITE) - len(deployed)} unchanged "
        f"({time.monotonic() - started:.1f}s)")
    return manifest, deployed


def _code_hash(art: artifacts.Artifact, args: list[Any]) -> str:
    return "0x" + keccak(art.bytecode + art.abi.encode_constructor(args)).hex()


def top_up(tx: TxManager, custody: Custody) -> list[str]:
    """ETH from the bank for every key below half its target (the devnet's service keys)."""
    bank = tx.add_signer(custody.bank)
    done = []
    for address, target in custody.funding.items():
        balance = tx.chain.balance(address)
        if balance < target // 2:
            tx.transact(bank, address, b"", value=target - balance)
            done.append(f"{address} topped up to {target / 10**18:g} ETH")
    return done


def wire_suite(suite: Suite, signers: Signers, params: SuiteParams,
               manifest: Manifest | None = None, custody: Custody | None = None) -> list[str]:
    """Roles, recipes and reward funding — each step only when the chain lacks it."""
    admin = signers.deployer.address
    since = {e.name: e.block for e in manifest.entries.values()} if manifest else {}
    former = [a.address for a in custody.former.all()] if custody and custody.former else []
    done = settle_roles(suite, signers, since, former,
                        exclusive=custody.exclusive if custody else False)
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
