"""pyproject.toml declares exactly what the code imports.

Every third-party module imported by the shipped packages is a runtime dependency; one imported
only by the benchmarks, scripts or tests may instead be a dev extra; and every runtime dependency
is imported somewhere, except the few runtime plugins listed below, which libraries load for us.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ("legends", "quests", "nft", "chain", "wsgi.py")
TOOLING = ("bench", "scripts", "tests")

# Distributions whose import name is not their name, lower-cased with "-" as "_".
IMPORT_NAMES = {"pyyaml": "yaml", "python-socketio": "socketio"}

# Declared for what they add at run time, never imported by our code:
RUNTIME_PLUGINS = {
    "coincurve": "eth-keys' native backend: ~10x faster transaction signing when installed",
    "jinja2": "Flask's template engine: every page in frontend/templates is a Jinja2 template",
}

# Imported lazily by a tool that skips, with a message, when they are missing; never needed by
# the app, the tests or `make install`:
OPTIONAL_PROBES: dict[str, str] = {}  # module -> why a tool may import it without declaring it


def distribution(requirement: str) -> str:
    """``psycopg[binary]~=3.2`` -> ``psycopg``."""
    match = re.match(r"[A-Za-z0-9._-]+", requirement.strip())
    assert match, requirement
    return match.group(0).lower().replace("_", "-")


def import_name(dist: str) -> str:
    return IMPORT_NAMES.get(dist, dist.replace("-", "_").replace(".", "_"))


def declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {distribution(r) for r in project["dependencies"]}
    dev = {distribution(r) for extra in project.get("optional-dependencies", {}).values() for r in extra}
    return runtime, dev


def first_party() -> set[str]:
    """Our own top-level modules: the packages, and the helper modules tests import by name."""
    names = {p.stem for p in ROOT.glob("*.py")}
    names |= {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
    names |= {p.stem for p in (ROOT / "tests").rglob("*.py")}
    return names | set(SHIPPED) | {"bench"}


@cache
def imports_of(roots: tuple[str, ...]) -> dict[str, set[str]]:
    """Third-party top-level module -> files importing it."""
    ours, found = first_party(), {}
    for root in roots:
        path = ROOT / root
        files = [path] if path.is_file() else sorted(path.rglob("*.py"))
        for file in files:
            for node in ast.walk(ast.parse(file.read_text(), str(file))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names and top not in ours:
                        found.setdefault(top, set()).add(str(file.relative_to(ROOT)))
    return found


def test_the_shipped_code_imports_only_runtime_dependencies():
    runtime, _ = declared()
    provided = {import_name(d) for d in runtime}
    missing = {m: sorted(f)[:3] for m, f in imports_of(SHIPPED).items() if m not in provided}
    assert not missing, f"declare these in [project].dependencies: {missing}"


def test_benchmarks_scripts_and_tests_import_only_declared_dependencies():
    runtime, dev = declared()
    provided = {import_name(d) for d in runtime | dev}
    missing = {m: sorted(f)[:3] for m, f in imports_of(TOOLING).items()
               if m not in provided and m not in OPTIONAL_PROBES}
    assert not missing, f"declare these in [project.optional-dependencies].dev: {missing}"


def test_an_optional_probe_is_imported_by_the_tools_only():
    assert not set(OPTIONAL_PROBES) & set(imports_of(SHIPPED)), "imported by the app: declare it"


def test_every_runtime_dependency_is_imported_or_a_listed_plugin():
    runtime, _ = declared()
    used = set(imports_of(SHIPPED))
    unused = sorted(d for d in runtime if import_name(d) not in used and d not in RUNTIME_PLUGINS)
    assert not unused, f"declared but never imported (drop them, or list a plugin with why): {unused}"


def test_the_plugin_list_names_only_declared_dependencies():
    runtime, _ = declared()
    assert set(RUNTIME_PLUGINS) <= runtime
    assert not {d for d in RUNTIME_PLUGINS if import_name(d) in imports_of(SHIPPED)}, "imported: not a plugin"
