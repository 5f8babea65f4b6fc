"""The suite's enumerations, read from the compiled artifacts: one place for every value.

``scripts/compile.mjs`` extracts them from the solc AST into each artifact (Solidity ``enum``
definitions, and families of ``uint8`` constants such as ``STATE_ACTIVE``/``STATE_QUEUED``),
so Python never copies a Solidity number by hand::

    from chain import enums
    enums.Governance.State.ACTIVE   # an IntEnum member, == 0
    enums.DataServices.Status.PENDING
    enums.AIMarketplace.Kind.MODEL

A contract's enums are built on first use (nothing is read at import time); a recompiled
contract brings its new values with it.
"""

from __future__ import annotations

from enum import IntEnum
from functools import cache

from chain import artifacts


class ContractEnums:
    """The enums of one contract of the suite, as attributes (``Governance.State``)."""

    def __init__(self, contract: str, families: dict[str, dict[str, int]]) -> None:
        self.contract = contract
        self._enums: dict[str, type[IntEnum]] = {
            family: IntEnum(family, members, module=__name__, qualname=f"{contract}.{family}")
            for family, members in families.items()
        }

    def __getattr__(self, family: str) -> type[IntEnum]:
        try:
            return self.__dict__["_enums"][family]
        except KeyError:
            raise AttributeError(f"{self.__dict__.get('contract')} has no enum {family!r} "
                                 f"(it has {sorted(self.__dict__.get('_enums', {}))})") from None

    def __dir__(self) -> list[str]:
        return sorted(self._enums)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._enums.values())


@cache
def of(contract: str) -> ContractEnums:
    """The enums of ``contract`` (a name of :data:`chain.artifacts.SUITE`)."""
    if contract not in artifacts.SUITE:
        raise AttributeError(f"{contract!r} is not a contract of the suite")
    return ContractEnums(contract, artifacts.load(contract).enums)


def __getattr__(name: str) -> ContractEnums:
    # ``enums.Governance`` and friends: one attribute per contract of the suite.
    if name.startswith("__"):
        raise AttributeError(name)
    return of(name)


def __dir__() -> list[str]:
    return [*globals(), *artifacts.SUITE]
