"""Reading YAML mappings field by field, with errors that name the field."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quests.errors import DefinitionError

_MISSING = object()


def join(where: str, name: str) -> str:
    """Dotted field path: ``join("objectives[0]", "min_count")``."""
    return f"{where}.{name}" if where else name


class Fields:
    """Typed access to a definition mapping; ``done()`` rejects fields nobody read.

    Every error is a ``DefinitionError`` naming the field, e.g. ``objectives[1].min_count``.
    """

    def __init__(self, spec: Any, where: str) -> None:
        if not isinstance(spec, Mapping):
            raise DefinitionError(where or "<root>", f"expected a mapping, got {_kind(spec)}")
        self.spec = spec
        self.where = where
        self._read: set[str] = set()

    def path(self, name: str) -> str:
        return join(self.where, name)

    def raw(self, name: str, default: Any = _MISSING) -> Any:
        self._read.add(name)
        if name in self.spec and self.spec[name] is not None:
            return self.spec[name]
        if default is _MISSING:
            raise DefinitionError(self.path(name), "is required")
        return default

    def text(self, name: str, default: Any = _MISSING) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, str) or not value.strip():
            raise DefinitionError(self.path(name), f"expected text, got {_kind(value)}")
        return value.strip()

    def integer(self, name: str, default: Any = _MISSING, minimum: int | None = None) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise DefinitionError(self.path(name), f"expected a whole number, got {_kind(value)}")
        if minimum is not None and value < minimum:
            raise DefinitionError(self.path(name), f"must be at least {minimum}, got {value}")
        return value

    def boolean(self, name: str, default: bool) -> bool:
        value = self.raw(name, default)
        if not isinstance(value, bool):
            raise DefinitionError(self.path(name), f"expected true or false, got {_kind(value)}")
        return value

    def texts(self, name: str, default: Any = _MISSING) -> Any:
        """A list of texts; a single text is accepted as a list of one."""
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise DefinitionError(self.path(name), f"expected a list of texts, got {_kind(value)}")
        return tuple(v.strip() for v in value)

    def mapping(self, name: str, default: Any = _MISSING) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, Mapping):
            raise DefinitionError(self.path(name), f"expected a mapping, got {_kind(value)}")
        return value

    def done(self) -> None:
        """Reject any field that was never read: a typo must not pass silently."""
        unknown = sorted(str(k) for k in self.spec if k not in self._read)
        if unknown:
            raise DefinitionError(self.path(unknown[0]), "unknown field")


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"[:80]
