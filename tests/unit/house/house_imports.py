"""What a module imports, read with ``ast`` (never by running it): shared by the house tests."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("legends", "quests", "nft", "chain")


@dataclass(frozen=True)
class Import:
    module: str  # dotted, absolute
    type_only: bool  # under ``if TYPE_CHECKING:``: a name for annotations, not a runtime use
    names: tuple[str, ...] = ()  # what ``from module import ...`` takes

    def reaches(self, module: str) -> bool:
        """Whether this import is ``module``, inside it, or takes it from its package."""
        if self.module == module or self.module.startswith(module + "."):
            return True
        package, _, leaf = module.rpartition(".")
        return self.module == package and leaf in self.names

    @property
    def top(self) -> str:
        return self.module.split(".")[0]


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def package_modules(*packages: str) -> list[Path]:
    return sorted(p for package in packages for p in (ROOT / package).rglob("*.py"))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    base = parts[:-node.level]  # the package the dots climb to
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(path: Path) -> list[Import]:
    found: list[Import] = []

    def visit(node: ast.AST, type_only: bool) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, type_only)
            return
        if isinstance(node, ast.Import):
            found.extend(Import(alias.name, type_only) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names = tuple(alias.name for alias in node.names)
            found.append(Import(_absolute(path, node), type_only, names))
        for child in ast.iter_child_nodes(node):
            visit(child, type_only)

    visit(ast.parse(path.read_text(), str(path)), False)
    return found
