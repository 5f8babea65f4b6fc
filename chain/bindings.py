"""Thin typed bindings over the suite's contracts.

``BoundContract`` does the generic work (encode, call, send, decode receipt events);
the small subclasses give the functions the game uses a typed Python face.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from chain import artifacts
from chain.artifacts import Artifact
from chain.errors import ContractRevert, RpcError
from chain.port import Receipt
from chain.txmanager import TxManager, revert_data


class BoundContract:
    contract_name: ClassVar[str] = ""

    def __init__(self, address: str, tx: TxManager, artifact: Artifact | None = None) -> None:
        self.address = address
        self.tx = tx
        self.artifact = artifact or artifacts.load(self.contract_name)
        self.abi = self.artifact.abi

    def encode(self, fn: str, *args: Any) -> bytes:
        return self.abi.function(fn, len(args)).encode(args)

    def call(self, fn: str, *args: Any, block: int | str = "latest", sender: str | None = None) -> Any:
        function = self.abi.function(fn, len(args))
        try:
            raw = self.tx.chain.call(self.address, function.encode(args), block, sender=sender)
        except RpcError as exc:
            data = revert_data(exc)
            if data is None:
                raise
            raise self._attributed(self.tx.decoder.decode(data)) from None
        return function.decode(raw)

    def send(self, sender: str, fn: str, *args: Any, value: int = 0, gas: int | None = None) -> str:
        try:
            return self.tx.send(sender, self.address, self.encode(fn, *args), value=value, gas=gas)
        except ContractRevert as exc:
            raise self._attributed(exc) from None

    def transact(
        self, sender: str, fn: str, *args: Any, value: int = 0, gas: int | None = None
    ) -> Receipt:
        data = self.encode(fn, *args)
        try:
            tx_hash = self.tx.send(sender, self.address, data, value=value, gas=gas)
            return self.tx.wait(tx_hash, sender=sender, to=self.address, data=data)
        except ContractRevert as exc:
            raise self._attributed(exc) from None

    def _attributed(self, exc: ContractRevert) -> ContractRevert:
        """Name this contract in a revert it declares: the suite-wide decoder otherwise names the first
        contract declaring the selector (e.g. SaharaToken for every AccessControl error)."""
        if exc.contract == self.contract_name or exc.raw[:4] not in self.abi.errors:
            return exc
        return ContractRevert(exc.error, exc.args_by_name, contract=self.contract_name,
                              tx_hash=exc.tx_hash, raw=exc.raw)

    def events(self, receipt: Receipt, name: str | None = None) -> list[tuple[str, dict[str, Any]]]:
        """Events this contract emitted in ``receipt`` (optionally only ``name``)."""
        found = []
        for log in receipt.logs:
            if log.address.lower() != self.address.lower():
                continue
            decoded = self.abi.decode_log(log)
            if decoded and (name is None or decoded[0] == name):
                found.append(decoded)
        return found

    def has_role(self, role: str, account: str) -> bool:
        return bool(self.call("hasRole", self.call(role), account))


class SaharaToken(BoundContract):
    contract_name = "SaharaToken"

    def balance_of(self, account: str) -> int:
        return int(self.call("balanceOf", account))

    def next_claim_at(self, account: str) -> int:
        return int(self.call("nextClaimAt", account))


class SaharaID(BoundContract):
    contract_name = "SaharaID"

    def id_of(self, account: str) -> int:
        return int(self.call("idOf", account))


class DataServices(BoundContract):
    contract_name = "DataServices"


class AgentRegistry(BoundContract):
    contract_name = "AgentRegistry"


class AIMarketplace(BoundContract):
    contract_name = "AIMarketplace"

    def pending_revenue(self, account: str) -> int:
        return int(self.call("pendingRevenue", account))


class Staking(BoundContract):
    contract_name = "Staking"

    def staked_of(self, account: str) -> int:
        return int(self.call("stakedOf", account))


class Governance(BoundContract):
    contract_name = "Governance"


class LegendShards(BoundContract):
    contract_name = "LegendShards"

    def balance_of(self, account: str, token_id: int) -> int:
        return int(self.call("balanceOf", account, token_id))

    def balances(self, account: str, token_ids: list[int]) -> dict[int, int]:
        values = self.call("balanceOfBatch", [account] * len(token_ids), token_ids)
        return dict(zip(token_ids, (int(v) for v in values)))

    def batch_minted(self, batch_id: bytes) -> bool:
        return bool(self.call("batchMinted", batch_id))


class LegendRelic(BoundContract):
    contract_name = "LegendRelic"

    def balance_of(self, account: str, token_id: int = 1000) -> int:
        return int(self.call("balanceOf", account, token_id))


BINDINGS: dict[str, type[BoundContract]] = {
    cls.contract_name: cls
    for cls in (SaharaToken, SaharaID, DataServices, AgentRegistry, AIMarketplace, Staking,
                Governance, LegendShards, LegendRelic)
}


@dataclass
class Suite:
    """The deployed suite, one binding per contract."""

    token: SaharaToken
    identity: SaharaID
    data: DataServices
    agents: AgentRegistry
    market: AIMarketplace
    staking: Staking
    governance: Governance
    shards: LegendShards
    relic: LegendRelic

    @classmethod
    def bind(cls, addresses: dict[str, str], tx: TxManager) -> Suite:
        def b(name: str) -> Any:
            return BINDINGS[name](addresses[name], tx)

        return cls(
            token=b("SaharaToken"), identity=b("SaharaID"), data=b("DataServices"),
            agents=b("AgentRegistry"), market=b("AIMarketplace"), staking=b("Staking"),
            governance=b("Governance"), shards=b("LegendShards"), relic=b("LegendRelic"),
        )

    def all(self) -> list[BoundContract]:
        return [self.token, self.identity, self.data, self.agents, self.market, self.staking,
                self.governance, self.shards, self.relic]

    def by_address(self) -> dict[str, BoundContract]:
        return {c.address.lower(): c for c in self.all()}
