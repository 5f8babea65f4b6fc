"""Who holds which role of the suite, and making the chain agree.

:func:`intended_roles` is what a fresh deployment with ``signers`` gives (the constructors'
grants plus the deployer's wiring). :func:`settle_roles` grants what is missing — asking a
former admin (an older deployment's key, e.g. the public dev mnemonic's on a devnet saved
before the instance keys existed) to hand over the admin role first — and, when
``exclusive``, revokes every other holder it finds in the contracts' ``RoleGranted``
events. Each step looks at the chain first, so settling twice sends nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from chain.accounts import Signers
from chain.bindings import BoundContract, Suite
from chain.errors import ConfigError
from chain.npcs import event_logs

ADMIN = "DEFAULT_ADMIN_ROLE"
ADMIN_ID = b"\x00" * 32
Roles = dict[str, dict[str, set[str]]]  # contract name -> role name -> holders


def intended_roles(suite: Suite, signers: Signers) -> Roles:
    admin, minter = signers.deployer.address, signers.minter.address
    roles: Roles = {c.contract_name: {ADMIN: {admin}} for c in suite.all() if c is not suite.identity}
    roles["SaharaToken"].update(MINTER_ROLE={admin, minter}, FAUCET_ROLE={admin, signers.faucet.address})
    roles["DataServices"]["REVIEWER_ROLE"] = {admin}
    roles["AgentRegistry"]["ATTESTER_ROLE"] = {signers.attester.address}
    roles["LegendShards"].update(MINTER_ROLE={admin, minter}, FORGE_ROLE={suite.relic.address})
    return roles


def settle_roles(suite: Suite, signers: Signers, since: Mapping[str, int],
                 former: Sequence[str] = (), exclusive: bool = False) -> list[str]:
    """Make the chain's role holders match :func:`intended_roles`; returns the steps taken.

    ``since``: contract name -> its deployment block (where its ``RoleGranted`` events
    start); ``former``: addresses (with keys in the tx manager) that may still be admin."""
    admin = signers.deployer.address
    done: list[str] = []
    by_name = {c.contract_name: c for c in suite.all()}
    for name, wanted in intended_roles(suite, signers).items():
        contract = by_name[name]
        ids = {role: _role_id(contract, role) for role in wanted}
        if not _holds(contract, ids[ADMIN], admin):
            _hand_over(contract, admin, former)
            done.append(f"{name} admin handed over to {admin}")
        for role, holders in wanted.items():
            for holder in sorted(holders - {admin} if role == ADMIN else holders):
                if not _holds(contract, ids[role], holder):
                    contract.transact(admin, "grantRole", ids[role], holder)
                    done.append(f"{name} {role} -> {holder}")
        if exclusive:
            done += _revoke_others(contract, admin, wanted, since.get(name, 0))
    done += _settle_validator_pool(suite, admin, signers.validator_pool)
    return done


def _role_id(contract: BoundContract, role: str) -> bytes:
    return ADMIN_ID if role == ADMIN else bytes(contract.call(role))


def _holds(contract: BoundContract, role_id: bytes, account: str) -> bool:
    return bool(contract.call("hasRole", role_id, account))


def _hand_over(contract: BoundContract, admin: str, former: Sequence[str]) -> None:
    for old in former:
        if _holds(contract, ADMIN_ID, old):
            contract.transact(old, "grantRole", ADMIN_ID, admin)
            return
    raise ConfigError(f"{contract.contract_name} at {contract.address} is administered by no "
                      f"key of this instance (deployer {admin}); deploy to a fresh chain")


def _revoke_others(contract: BoundContract, admin: str, wanted: Mapping[str, set[str]],
                   since: int) -> list[str]:
    names = {_role_id(contract, role): role for role in wanted}
    done: list[str] = []
    granted = {(bytes(args["role"]), args["account"])
               for _log, args in event_logs(contract, "RoleGranted", since)}
    # The admin role goes last: the admin revokes with it.
    for role_id, account in sorted(granted, key=lambda g: (g[0] == ADMIN_ID, g[0], g[1])):
        role = names.get(role_id, "0x" + role_id.hex())
        keep = {holder.lower() for holder in wanted.get(role, set())}
        if account.lower() in keep or not _holds(contract, role_id, account):
            continue
        contract.transact(admin, "revokeRole", role_id, account)
        done.append(f"{contract.contract_name} {role} revoked from {account}")
    return done


def _settle_validator_pool(suite: Suite, admin: str, pool: str) -> list[str]:
    market = suite.market
    if str(market.call("validatorPool")).lower() == pool.lower():
        return []
    split = [int(market.call(name)) for name in ("developerBps", "contributorsBps", "validatorsBps")]
    market.transact(admin, "setSplit", pool, *split)
    return [f"AIMarketplace validator pool -> {pool}"]

