"""The compiled suite: ABI + bytecode committed under ``chain/artifacts/``.

Python never needs the compiler at run time. ``sources_hash`` recomputes the hash that
``scripts/compile.mjs`` stamps into every artifact, so a test can tell when the
committed artifacts are stale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from eth_utils import keccak

from chain.abi import ContractAbi, ErrorDecoder

PACKAGE_DIR = Path(__file__).resolve().parent
ARTIFACTS_DIR = PACKAGE_DIR / "artifacts"
CONTRACTS_DIR = PACKAGE_DIR / "contracts"

# Deployment order: every contract comes after the ones its constructor points at.
SUITE: tuple[str, ...] = (
    "SaharaToken",
    "SaharaID",
    "DataServices",
    "AgentRegistry",
    "AIMarketplace",
    "Staking",
    "Governance",
    "LegendShards",
    "LegendRelic",
)


@dataclass(frozen=True)
class Artifact:
    name: str
    compiler: str
    sources_hash: str
    abi: ContractAbi
    raw_abi: list
    # Family -> member -> value, as scripts/compile.mjs read them from the solc AST (chain.enums).
    enums: dict[str, dict[str, int]]
    bytecode: bytes
    deployed_bytecode: bytes

    @property
    def code_hash(self) -> str:
        return "0x" + keccak(self.bytecode).hex()


@cache
def load(name: str) -> Artifact:
    path = ARTIFACTS_DIR / f"{name}.json"
    data = json.loads(path.read_text())
    return Artifact(
        name=data["contractName"],
        compiler=data["compiler"],
        sources_hash=data["sourcesHash"],
        abi=ContractAbi(data["contractName"], data["abi"]),
        raw_abi=data["abi"],
        enums=data.get("enums", {}),
        bytecode=bytes.fromhex(data["bytecode"].removeprefix("0x")),
        deployed_bytecode=bytes.fromhex(data["deployedBytecode"].removeprefix("0x")),
    )


def load_suite() -> dict[str, Artifact]:
    return {name: load(name) for name in SUITE}


@cache
def error_decoder() -> ErrorDecoder:
    return ErrorDecoder(art.abi for art in load_suite().values())


def known_events() -> dict[str, set[str]]:
    """Contract name -> event names, for validating quest definitions."""
    return {name: set(art.abi.events) for name, art in load_suite().items()}


def suite_version() -> str:
    """A short fingerprint of the whole suite's bytecode."""
    digest = hashlib.sha256()
    for name in SUITE:
        digest.update(load(name).bytecode)
    return digest.hexdigest()[:12]


def sources_hash(contracts_dir: Path = CONTRACTS_DIR, node_modules: Path | None = None) -> str:
    """Recompute the hash compile.mjs writes (see the rule at the top of that script)."""
    node_modules = node_modules or PACKAGE_DIR.parent / "node_modules"
    compiler = load(SUITE[0]).compiler
    oz = json.loads((node_modules / "@openzeppelin/contracts/package.json").read_text())["version"]
    digest = hashlib.sha256()
    for path in sorted(contracts_dir.rglob("*.sol"), key=lambda p: p.relative_to(contracts_dir).as_posix()):
        digest.update(path.relative_to(contracts_dir).as_posix().encode() + b"\n")
        digest.update(path.read_bytes() + b"\n")
    digest.update(f"solc:{compiler};oz:{oz}".encode())
    return digest.hexdigest()
