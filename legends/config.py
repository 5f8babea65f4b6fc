"""Configuration classes, filled from the environment.

``LEGENDS_ENV`` picks the class (development, testing, production). Every setting can be
overridden by an environment variable of the same name. Production refuses to start
with the default secret key or without a signer key.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

DEFAULT_SECRET = "dev-only-secret-not-for-production"
NETWORKS = ("devnet", "external")


class ConfigurationError(RuntimeError):
    """The configuration cannot run (names the setting at fault)."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting


class Config:
    ENV_NAME = "development"
    SECRET_KEY = DEFAULT_SECRET
    DATABASE_URL: str | None = None  # None: SQLite in the instance folder
    INSTANCE_PATH: str | None = None  # None: ./instance next to the code
    REDIS_URL: str | None = None
    PUBLIC_URL = "http://127.0.0.1:5000"
    SEASON = "Season 1"
    CHAIN_NETWORK = "devnet"
    CHAIN_RPC_URL: str | None = None  # None on the devnet: the bundled anvil
    CHAIN_SIGNER_KEY: str | None = None
    BROWSER_RPC_URL: str | None = None  # None: CHAIN_RPC_URL (what players' browsers call)
    DEVNET_PORT = 8545
    DEVNET_CHAIN_ID = 31337
    DEVNET_BLOCK_TIME: float | None = None
    INDEXER_CONFIRMATIONS = 0
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    ADMIN_ADDRESSES: str = ""  # comma-separated admin wallets
    JSON_SORT_KEYS = False

    def validate(self) -> None:
        if self.CHAIN_NETWORK not in NETWORKS:
            raise ConfigurationError(
                "CHAIN_NETWORK", f"unknown network {self.CHAIN_NETWORK!r} (known: {', '.join(NETWORKS)})")
        if self.CHAIN_NETWORK == "external" and not self.CHAIN_RPC_URL:
            raise ConfigurationError("CHAIN_RPC_URL", "required when CHAIN_NETWORK=external")


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

    def validate(self) -> None:
        super().validate()
        if not self.SECRET_KEY or self.SECRET_KEY == DEFAULT_SECRET or len(self.SECRET_KEY) < 32:
            raise ConfigurationError("SECRET_KEY", "set a random secret of at least 32 characters")
        if not self.CHAIN_SIGNER_KEY:
            raise ConfigurationError("CHAIN_SIGNER_KEY", "production needs a signer key")


CLASSES: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

_INTS = {"DEVNET_PORT", "DEVNET_CHAIN_ID", "INDEXER_CONFIRMATIONS"}
_FLOATS = {"DEVNET_BLOCK_TIME"}


def load_config(overrides: Mapping[str, Any] | None = None,
                env: Mapping[str, str] | None = None) -> Config:
    """Build the config object: class defaults < environment < explicit overrides."""
    env = os.environ if env is None else env
    overrides = dict(overrides or {})
    name = overrides.pop("ENV_NAME", None) or env.get("LEGENDS_ENV", "development")
    if name not in CLASSES:
        raise ConfigurationError("LEGENDS_ENV", f"unknown environment {name!r}")
    config = CLASSES[name]()
    for key in dir(config):
        if key.isupper() and key in env:
            setattr(config, key, _coerce(key, env[key]))
    for key, value in overrides.items():
        setattr(config, key, value)
    return config


def _coerce(key: str, raw: str) -> Any:
    try:
        if key in _INTS:
            return int(raw)
        if key in _FLOATS:
            return float(raw) if raw else None
    except ValueError:
        raise ConfigurationError(key, f"not a number: {raw!r}") from None
    return raw
