"""Typed chain errors.

Backend errors (HTTP, JSON-RPC) are translated here so that callers never see a
``requests`` or web3 exception, and contract reverts carry the custom error's name
and decoded arguments.
"""

from __future__ import annotations

from typing import Any

from chain.redact import redact_url


class ChainError(Exception):
    """Base class of every error raised by the chain package."""


class RpcUnavailable(ChainError):
    """The JSON-RPC endpoint did not answer (refused, timed out, DNS...)."""

    def __init__(self, url: str, detail: str) -> None:
        # The URL may carry credentials: only its redacted form is ever shown.
        self.url = redact_url(url)
        super().__init__(f"chain RPC {self.url} is unreachable: {detail}")


class RpcError(ChainError):
    """The node answered with a JSON-RPC error object."""

    def __init__(self, method: str, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"{method}: {message} (code {code})")
        self.method = method
        self.code = code
        self.rpc_message = message
        self.data = data


class TxTimeout(ChainError):
    """A transaction was not mined within the allowed time."""

    def __init__(self, tx_hash: str, seconds: float) -> None:
        super().__init__(f"transaction {tx_hash} not mined after {seconds:.1f}s")
        self.tx_hash = tx_hash


class ContractRevert(ChainError):
    """A call or transaction reverted; ``error`` names the custom error when known.

    ``args`` holds the decoded arguments by name, e.g.
    ``ContractRevert(error="FaucetCooldown", args={"account": "0x..", "nextClaimAt": 17})``.
    """

    def __init__(
        self,
        error: str,
        args: dict[str, Any] | None = None,
        *,
        contract: str | None = None,
        tx_hash: str | None = None,
        raw: bytes = b"",
    ) -> None:
        self.error = error
        self.args_by_name = dict(args or {})
        self.contract = contract
        self.tx_hash = tx_hash
        self.raw = raw
        shown = ", ".join(f"{k}={_short(v)}" for k, v in self.args_by_name.items())
        where = f"{contract}: " if contract else ""
        super().__init__(f"{where}{error}({shown})")


class ConfigError(ChainError):
    """The chain configuration is unusable (unknown network, bad key...)."""


class SuiteNotDeployed(ChainError):
    """The manifest of ``chain_id`` lacks some contracts of the suite (``legends deploy`` adds them)."""

    def __init__(self, chain_id: int, missing: tuple[str, ...]) -> None:
        self.chain_id = chain_id
        self.missing = missing
        super().__init__(f"the suite is not deployed on chain {chain_id} (missing: {', '.join(missing)}); "
                         "run `legends deploy`")


def _short(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return str(value)
