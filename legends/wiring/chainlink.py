"""Composition of the chain layer for the app: the RPC port, signers, tx manager and the
deployed suite, all chosen from the configuration."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from flask import Flask, current_app

from chain import artifacts
from chain.accounts import Signers, dev_signers, signers_from_env
from chain.bindings import Suite
from chain.deploy import Manifest, SuiteParams
from chain.devnet import Devnet, DevnetConfig
from chain.errors import ConfigError
from chain.port import ChainPort
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
    def signers(self) -> Signers:
        if self._signers is None:
            if self.network == "devnet":
                self._signers = dev_signers()
            else:
                self._signers = signers_from_env(self.env, self.instance_path)
        return self._signers

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
    app.extensions["legends.chain"] = build_chain_link(config, app.instance_path, env)


def get_chain() -> ChainLink:
    return current_app.extensions["legends.chain"]
