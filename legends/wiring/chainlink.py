"""Composition of the chain layer for the app: the RPC port, signers, tx manager and the
deployed suite, all chosen from the configuration."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from chain import artifacts
from chain.accounts import Signers, signers_from_env
from chain.bindings import Suite
from chain.deploy import Manifest, SuiteParams
from chain.devnet import Devnet, DevnetConfig
from chain.errors import ConfigError
from chain.keyring import Custody, Keyring, devnet_custody, instance_keyring
from chain.port import ChainPort
from chain.redact import redact_logs, redact_url, remember
from chain.rpc import JsonRpcChain
from chain.store import SqlManifestStore
from chain.txmanager import TxManager
from legends.config import Config


@dataclass
class ChainLink:
    """Everything the app needs to reach the chain, built lazily on first use."""

    network: str
    rpc_url: str
    instance_path: Path
    devnet_config: DevnetConfig
    metadata_base: str
    env: dict[str, str]
    receipt_poll: float = 0.01  # seconds between receipt polls (Config.receipt_poll_seconds)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._tx: TxManager | None = None
        self._signers: Signers | None = None
        self._known_chain_id: int | None = None
        self._reader: JsonRpcChain | None = None
        self._keyring: Keyring | None = None

    @property
    def shown_url(self) -> str:
        """The RPC URL as pages, answers and logs may show it (credentials hidden)."""
        return redact_url(self.rpc_url)

    @property
    def rpc(self) -> ChainPort:
        return self.tx.chain

    @property
    def tx(self) -> TxManager:
        with self._lock:
            if self._tx is None:
                self._tx = TxManager(JsonRpcChain(self.rpc_url, poll=self.receipt_poll),
                                     artifacts.error_decoder())
                for account in self.signers.all():
                    self._tx.add_signer(account)
            return self._tx

    @property
    def reader(self) -> ChainPort:
        """A port for reads that need no signer key (sign-in's contract wallets, the chain id),
        with a short timeout: a request waiting on it holds a player's sign-in."""
        with self._lock:
            if self._reader is None:
                self._reader = JsonRpcChain(self.rpc_url, timeout=5.0)
            return self._reader

    @property
    def signers(self) -> Signers:
        if self._signers is None:
            if self.network == "devnet":
                self._signers = self.keyring().signers
            else:
                self._signers = signers_from_env(self.env, self.instance_path)
        return self._signers

    def known_chain_id(self, store: SqlManifestStore) -> int:
        """The chain id without a round trip when the deployment names it: the one chain the
        manifest records (what sign-in uses, so it keeps working with the node down); else
        the node's, asked once without the signers. Raises ChainError if it cannot answer."""
        if self._known_chain_id is None:
            try:
                recorded = store.chain_ids()
            except SQLAlchemyError:  # not migrated yet: ask the node
                recorded = []
            self._known_chain_id = (recorded[0] if len(recorded) == 1
                                    else self.reader.chain_id())
        return self._known_chain_id

    def keyring(self) -> Keyring:
        """The devnet's own keys, drawn on first use into ``instance/keys/devnet/``."""
        if self.network != "devnet":
            raise ConfigError(f"the {self.network!r} network has no instance keyring")
        if self._keyring is None:
            self._keyring = instance_keyring(self.instance_path)
        return self._keyring

    def custody(self) -> Custody | None:
        """How a deploy treats keys: on the devnet it funds the keyring and moves every role
        off the public dev mnemonic; elsewhere the keys are the operator's (None)."""
        return devnet_custody(self.keyring()) if self.network == "devnet" else None

    def devnet(self) -> Devnet:
        if self.network != "devnet":
            raise ConfigError(f"the {self.network!r} network has no bundled devnet")
        return Devnet(self.devnet_config)

    def params(self) -> SuiteParams:
        return SuiteParams(metadata_base=self.metadata_base)

    def manifest(self, store: SqlManifestStore) -> Manifest:
        return store.load(self.tx.chain_id)

    def suite(self, store: SqlManifestStore) -> Suite:
        manifest = self.manifest(store).require_complete()
        return Suite.bind(manifest.addresses, self.tx)


def build_chain_link(config: Config, instance_path: str, env: dict[str, str]) -> ChainLink:
    devnet_config = DevnetConfig(
        instance_path=Path(instance_path),
        port=int(config.DEVNET_PORT),
        chain_id=int(config.DEVNET_CHAIN_ID),
        block_time=config.DEVNET_BLOCK_TIME,
    )
    rpc_url = config.CHAIN_RPC_URL or devnet_config.url
    return ChainLink(config.CHAIN_NETWORK, rpc_url, Path(instance_path), devnet_config,
                     config.PUBLIC_URL, env, receipt_poll=config.receipt_poll_seconds())


def init_app(app: Flask, config: Config, env: dict[str, str]) -> None:
    link = build_chain_link(config, app.instance_path, env)
    for url in (link.rpc_url, config.BROWSER_RPC_URL, config.DATABASE_URL, config.REDIS_URL):
        remember(url)  # their secrets never reach a log line, even without their URL
    redact_logs()
    app.extensions["legends.chain"] = link


def get_chain() -> ChainLink:
    return current_app.extensions["legends.chain"]
