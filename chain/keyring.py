"""The devnet's own service keys: random per instance, kept in ``instance/keys/devnet/``.

The devnet's dev mnemonic is public (anyone who can read the RPC URL also knows its keys),
so no key of it may mint, review, attest or administer anything. Each instance draws its own
keys on first use, writes each to a 0600 file and reuses it ever after; a deploy funds them
with ETH from a dev account (:class:`Custody`) and grants them the suite's roles. The public
mnemonic stays for player test accounts (burner wallets, tests) only.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from eth_account.signers.local import LocalAccount

from chain.accounts import Signers, dev_account, dev_signers
from chain.errors import ConfigError
from chain.txmanager import account_from_key

# The suite's roles and the NPCs' keys; each is a file ``<name>.key`` in the keys folder.
SERVICE_KEYS = ("deployer", "minter", "faucet", "attester", "validator_pool")
NPC_KEYS = ("merchant", "patron_1", "patron_2", "patron_3")
ETHER = 10**18
# ETH each key is topped up to when it falls below half of it (the faucet drips gas to players).
FUNDING = {"deployer": 1000 * ETHER, "minter": 1000 * ETHER, "faucet": 2000 * ETHER,
           "attester": 1 * ETHER, "validator_pool": 1 * ETHER, "merchant": 100 * ETHER,
           "patron_1": 100 * ETHER, "patron_2": 100 * ETHER, "patron_3": 100 * ETHER}
BANK_INDEX = 0  # the dev account that pays for the top-ups (anvil gives it 10,000 ETH)
PUBLIC_INDICES = range(20)  # dev-mnemonic accounts that may never hold a service key


def keys_folder(instance_path: Path) -> Path:
    return Path(instance_path) / "keys" / "devnet"


def load_or_create(folder: Path, name: str) -> LocalAccount:
    """The key in ``folder/<name>.key``; drawn at random and written (0600) when missing.

    Two processes starting at once both end up with the same key: the file appears whole or
    not at all (written aside, then hard-linked into place, which fails when it exists)."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{name}.key"
    if not path.exists():
        handle, aside = tempfile.mkstemp(dir=folder, prefix=f".{name}.")
        try:
            os.fchmod(handle, 0o600)
            os.write(handle, ("0x" + secrets.token_hex(32) + "\n").encode())
            os.fsync(handle)
            os.close(handle)
            try:
                os.link(aside, path)
            except FileExistsError:
                pass  # another process drew it first: theirs is the key
        finally:
            os.unlink(aside)
    return _read(path)


def _read(path: Path) -> LocalAccount:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise ConfigError(f"{path} is readable by others (mode {mode:04o}): chmod 600 it")
    try:
        account = account_from_key(path.read_text().strip())
    except Exception as exc:  # a truncated or hand-edited file
        raise ConfigError(f"{path} does not hold a private key ({type(exc).__name__})") from None
    if account.address in public_addresses():
        raise ConfigError(f"{path} holds a key of the public dev mnemonic; delete it and a "
                          "new one is drawn")
    return account


@cache
def public_addresses() -> frozenset[str]:
    """The dev mnemonic's first accounts (derived once per process: derivation is slow)."""
    return frozenset(dev_account(i).address for i in PUBLIC_INDICES)


@dataclass(frozen=True)
class Keyring:
    """Every key of one instance's devnet."""

    signers: Signers
    npcs: dict[str, LocalAccount]
    accounts: dict[str, LocalAccount]  # name -> account, all of them

    @property
    def merchant(self) -> LocalAccount:
        return self.npcs["merchant"]

    @property
    def patrons(self) -> tuple[LocalAccount, ...]:
        return tuple(self.npcs[name] for name in NPC_KEYS[1:])


def instance_keyring(instance_path: Path) -> Keyring:
    folder = keys_folder(instance_path)
    accounts = {name: load_or_create(folder, name) for name in (*SERVICE_KEYS, *NPC_KEYS)}
    signers = Signers(deployer=accounts["deployer"], minter=accounts["minter"],
                      faucet=accounts["faucet"], attester=accounts["attester"],
                      validator_pool=accounts["validator_pool"].address)
    return Keyring(signers, {n: accounts[n] for n in NPC_KEYS}, accounts)


@dataclass(frozen=True)
class Custody:
    """How a deploy on the devnet treats keys.

    ``bank`` tops up ``funding`` (address -> ETH target) before anything is sent; ``former``
    are the signers an older deployment of this devnet used (the public mnemonic's), whose
    contracts are kept and whose roles move to the instance keys; ``exclusive``: nobody but
    the intended holders keeps a role of the suite (found from the ``RoleGranted`` events).
    """

    bank: LocalAccount
    funding: dict[str, int]
    former: Signers | None
    exclusive: bool = True


def devnet_custody(keyring: Keyring) -> Custody:
    return Custody(bank=dev_account(BANK_INDEX),
                   funding={keyring.accounts[n].address: FUNDING[n] for n in keyring.accounts},
                   former=dev_signers())
