"""Configuration classes, filled from the environment.

``LEGENDS_ENV`` picks the class (development, testing, production). Every setting is declared,
typed, on :class:`Config` and can be overridden by an environment variable of the same name.
Production refuses to start with the default secret key or without a signer key.
"""

from __future__ import annotations

import os
import re
import types
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEFAULT_SECRET = "dev-only-secret-not-for-production"
PRIVATE_KEY = re.compile(r"(?:0x)?[0-9a-fA-F]{64}")
NETWORKS = ("devnet", "external")
CHAIN_KEYS = ("CHAIN_SIGNER_KEY", "CHAIN_MINTER_KEY", "CHAIN_FAUCET_KEY", "CHAIN_ATTESTER_KEY",
              "CHAIN_VALIDATOR_POOL")


def has_entropy(secret: str) -> bool:
    """Whether ``secret`` looks random: at least 16 distinct characters, none of them more
    than a quarter of it (32 spaces, ``abab...`` or a repeated word are refused)."""
    counts = {ch: secret.count(ch) for ch in set(secret)}
    return len(counts) >= 16 and max(counts.values()) <= len(secret) / 4


class ConfigurationError(RuntimeError):
    """The configuration cannot run (names the setting at fault)."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting


class Config:
    """Every setting the code reads, with its type and default (the README's table lists them).

    The annotation decides how an environment variable is read: ``int``, ``float``, ``bool``
    (1/true/yes/on, 0/false/no/off) or ``str``; with ``| None`` an empty value means None.
    """

    ENV_NAME: str = "development"  # picked by LEGENDS_ENV, never set directly
    TESTING: bool = False
    SECRET_KEY: str = DEFAULT_SECRET
    DATABASE_URL: str | None = None  # None: SQLite in the instance folder
    INSTANCE_PATH: str | None = None  # None: ./instance next to the code
    REDIS_URL: str | None = None  # None: in-process queue and leaderboards
    PUBLIC_URL: str = "http://127.0.0.1:5000"
    SEASON: str = "Season 1"
    ADMIN_ADDRESSES: str = ""  # comma-separated admin wallets
    SESSION_COOKIE_HTTPONLY: bool = True
    SESSION_COOKIE_SAMESITE: str = "Lax"
    SESSION_COOKIE_SECURE: bool = False
    ALLOWED_ORIGINS: str | None = None  # comma-separated origins besides PUBLIC_URL's that may send changes
    SESSION_HOURS: float = 12.0  # a signed-in session ends after this long (or at logout)
    TRUSTED_PROXIES: int = 0  # reverse proxies in front whose X-Forwarded-For/-Proto count

    # -- the chain
    CHAIN_NETWORK: str = "devnet"
    CHAIN_RPC_URL: str | None = None  # None on the devnet: the bundled anvil
    BROWSER_RPC_URL: str | None = None  # what players' browsers call; None: CHAIN_RPC_URL
    CHAIN_ID: int | None = None  # chain id sign-in messages name off the devnet; None: ask the node
    CHAIN_SIGNER_KEY: str | None = None
    CHAIN_MINTER_KEY: str | None = None  # None: the signer key
    CHAIN_FAUCET_KEY: str | None = None  # None: the signer key
    CHAIN_ATTESTER_KEY: str | None = None  # None: the signer key
    CHAIN_VALIDATOR_POOL: str | None = None  # None: the signer's address
    DEVNET_PORT: int = 8545
    DEVNET_CHAIN_ID: int = 31337
    DEVNET_BLOCK_TIME: float | None = None  # None: a block per transaction
    INDEXER_CONFIRMATIONS: int = 0  # also the depth at which the reward worker counts a mint
    CHAIN_RECEIPT_POLL_MS: int | None = None  # None: 10 on the devnet, 1000 on other networks
    CHAIN_MAX_FEE_GWEI: float | None = None  # the reward worker never bids more; None: no cap

    # -- the game's workers and limits
    REWARD_BATCH_SIZE: int = 200  # grants per mintBatch transaction
    REWARD_MAX_BATCHES: int = 10  # batches in flight per worker pass
    REWARD_RECEIPT_TIMEOUT: float = 30.0  # seconds to wait for a batch's receipt
    REWARD_IDLE_SECONDS: float = 1.0  # pause when the outbox is empty
    REWARD_REORG_WINDOW: int = 64  # blocks a confirmed batch's mint is re-checked for; 0: never
    CARETAKER_TICK_SECONDS: float = 2.0
    AGENT_INVOKE_PER_MINUTE: int = 10  # agent invocations per player and minute
    RATE_LIMIT_NONCE: str = "60/minute"  # sign-in nonces per client address
    RATE_LIMIT_SIGN_IN_FAILURES: str = "30/10 minutes"  # refused sign-ins (401) per client address
    RATE_LIMIT_FAUCET_CLIENT: str = "20/hour"  # faucet claims per client address
    RATE_LIMIT_FAUCET_SESSION: str = "10/hour"  # faucet claims per signed-in session
    RATE_LIMIT_FAUCET_WALLET: str = "10/hour"  # faucet claims per wallet (besides the contract's cooldown)
    RATE_LIMIT_PREFIX: str = "legends:limits"  # the limiter's key prefix in Redis
    LEADERBOARD_PREFIX: str = "legends:leaderboard"  # Redis key prefix
    SCHEDULER_RECONCILE_SECONDS: int = 10  # how often admins' edits become scheduler jobs

    # -- live updates (legends.realtime)
    REALTIME_ORIGINS: str | None = None  # comma-separated; None: PUBLIC_URL's origin, never "*"
    REALTIME_TOKEN_SECONDS: int = 60  # lifetime of a socket token
    REALTIME_RETENTION_DAYS: float = 7.0  # how long the log keeps events for reconnecting clients
    REALTIME_REPLAY_LIMIT: int = 1000  # the longest replay; a wider gap gets a resync
    REALTIME_CHANNEL: str = "legends-realtime"  # the Redis pub/sub channel of one deployment

    def chain_keys(self, instance_path: str | Path | None = None) -> dict[str, str]:
        """The signer keys that are set, by setting name (what ``chain.accounts`` reads): the
        environment reaches the chain only through this class. Off the devnet a key not in
        the environment is read from ``<instance>/keys/<setting in lower case>`` (the
        environment wins), and every key must be a private key: a bad one, or a key file
        others may read, is refused naming the setting (never showing the key)."""
        found = {name: getattr(self, name) for name in CHAIN_KEYS}
        keys = {name: value for name, value in found.items() if value}
        if self.CHAIN_NETWORK == "devnet":
            return keys  # the devnet's roles come from its own accounts (chain.accounts)
        folder = self.instance_folder(instance_path)
        for name in CHAIN_KEYS[:4]:  # the last one is an address
            if name not in keys and folder is not None:
                from_file = read_key_file(name, folder / "keys" / name.lower())
                if from_file:
                    keys[name] = from_file
            if name in keys and not PRIVATE_KEY.fullmatch(keys[name].strip()):
                raise ConfigurationError(name, "not a signer key: a private key is 32 bytes "
                                         "written as 64 hex digits (0x optional)")
        return keys

    def receipt_poll_seconds(self) -> float:
        """How often a receipt is asked for while waiting for one (CHAIN_RECEIPT_POLL_MS)."""
        if self.CHAIN_RECEIPT_POLL_MS is not None:
            return max(int(self.CHAIN_RECEIPT_POLL_MS), 1) / 1000
        return 0.01 if self.CHAIN_NETWORK == "devnet" else 1.0

    def max_fee_wei(self) -> int | None:
        """CHAIN_MAX_FEE_GWEI in wei per gas (None: no cap)."""
        if self.CHAIN_MAX_FEE_GWEI is None:
            return None
        return int(float(self.CHAIN_MAX_FEE_GWEI) * 10**9)

    def instance_folder(self, default: str | Path | None = None) -> Path | None:
        """INSTANCE_PATH, else ``default`` (the app's instance folder), else unknown."""
        chosen = self.INSTANCE_PATH or default
        return Path(chosen) if chosen else None

    def validate(self, instance_path: str | Path | None = None) -> None:
        """Refuse a configuration that cannot run; ``instance_path`` is the app's instance
        folder when INSTANCE_PATH is unset (where key files are looked for)."""
        if self.CHAIN_NETWORK not in NETWORKS:
            raise ConfigurationError(
                "CHAIN_NETWORK", f"unknown network {self.CHAIN_NETWORK!r} (known: {', '.join(NETWORKS)})")
        if self.CHAIN_NETWORK == "external" and not self.CHAIN_RPC_URL:
            raise ConfigurationError("CHAIN_RPC_URL", "required when CHAIN_NETWORK=external")
        if self.CHAIN_MAX_FEE_GWEI is not None and not float(self.CHAIN_MAX_FEE_GWEI) > 0:
            raise ConfigurationError("CHAIN_MAX_FEE_GWEI", "a fee cap in gwei above 0, or empty")
        if int(self.REWARD_REORG_WINDOW) < 0:
            raise ConfigurationError("REWARD_REORG_WINDOW", "a number of blocks, 0 or more")
        if not 0 <= int(self.TRUSTED_PROXIES) <= 10:
            raise ConfigurationError("TRUSTED_PROXIES", "the number of proxies in front, 0 to 10")
        self.chain_keys(instance_path)


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True


class ProductionConfig(Config):
    ENV_NAME = "production"
    SECRET_KEY = ""
    CHAIN_NETWORK = "external"
    SESSION_COOKIE_SECURE = True

    def validate(self, instance_path: str | Path | None = None) -> None:
        super().validate(instance_path)
        if not self.SECRET_KEY or self.SECRET_KEY == DEFAULT_SECRET or len(self.SECRET_KEY) < 32:
            raise ConfigurationError("SECRET_KEY", "set a random secret of at least 32 characters")
        if not has_entropy(self.SECRET_KEY):
            raise ConfigurationError("SECRET_KEY", "the secret is not random (too few distinct "
                                     "characters): use e.g. python -c 'import secrets; "
                                     "print(secrets.token_urlsafe(32))'")
        if self.CHAIN_NETWORK == "devnet":
            raise ConfigurationError("CHAIN_NETWORK", "production cannot run on the devnet (its keys "
                                     "come from a public mnemonic): use CHAIN_NETWORK=external")
        if "CHAIN_SIGNER_KEY" not in self.chain_keys(instance_path):
            path = (self.instance_folder(instance_path) or Path("instance")) / "keys" / "chain_signer_key"
            raise ConfigurationError("CHAIN_SIGNER_KEY", "production needs a signer key: set it in "
                                     f"the environment or in {path} (mode 600)")


def read_key_file(setting: str, path: Path) -> str | None:
    """The key in ``path``, or None without the file. The file must be the app user's alone
    (like ssh's private keys): one that group or others may read is refused, as is one the
    app cannot read; the message names the setting and the file, never the key."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ConfigurationError(setting, f"cannot reach {path}: {exc.strerror}") from None
    if not path.is_file():
        raise ConfigurationError(setting, f"{path} is not a file")
    if info.st_mode & 0o077:
        raise ConfigurationError(setting, f"{path} may be read by other users (mode "
                                 f"{info.st_mode & 0o777:o}): chmod 600 it")
    try:
        return path.read_text(encoding="ascii").strip() or None
    except PermissionError:
        raise ConfigurationError(setting, f"cannot read {path}: permission denied (the app's user "
                                 "must own it, mode 600)") from None
    except (OSError, UnicodeDecodeError):
        raise ConfigurationError(setting, f"{path} is not a key file (one hex private key)") from None


CLASSES: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def settings() -> dict[str, Any]:
    """Every declared setting and its type (the annotations of :class:`Config`)."""
    return typing.get_type_hints(Config)


def load_config(overrides: Mapping[str, Any] | None = None,
                env: Mapping[str, str] | None = None) -> Config:
    """Build the config object: class defaults < environment < explicit overrides."""
    env = os.environ if env is None else env
    overrides = dict(overrides or {})
    name = overrides.pop("ENV_NAME", None) or env.get("LEGENDS_ENV", "development")
    if name not in CLASSES:
        raise ConfigurationError("LEGENDS_ENV", f"unknown environment {name!r}")
    config = CLASSES[name]()
    for key, kind in settings().items():
        if key != "ENV_NAME" and key in env:
            setattr(config, key, _coerce(key, kind, env[key]))
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _coerce(key: str, kind: Any, raw: str) -> Any:
    """Read an environment value as the setting's annotated type."""
    options = typing.get_args(kind) if isinstance(kind, types.UnionType) else (kind,)
    optional = type(None) in options
    base = next(option for option in options if option is not type(None))
    if optional and raw.strip() == "":
        return None
    if base is bool:
        word = raw.strip().lower()
        if word not in _TRUE | _FALSE:
            raise ConfigurationError(key, f"not a yes/no value: {raw!r}")
        return word in _TRUE
    if base in (int, float):
        try:
            return base(raw)
        except ValueError:
            raise ConfigurationError(key, f"not a number: {raw!r}") from None
    return raw
