"""Every setting the code reads is declared, typed, on ``legends.config.Config``, settable from
the environment, and listed in the README's configuration table. A setting read but not
declared would be silently ignored from the environment; these tests refuse that."""

from __future__ import annotations

import ast
import re
import types
import typing
from pathlib import Path

import pytest
from house_imports import ROOT, package_modules, relative

from legends.config import CLASSES, Config, ConfigurationError, load_config, settings

NAME = re.compile(r"^[A-Z][A-Z0-9_]+$")
RECEIVERS = {"config", "cfg"}  # local names the code gives the configuration


def _is_config(node: ast.expr) -> bool:
    """``config``, ``cfg``, or anything ending in ``.config`` (app.config, current_app.config)."""
    return (isinstance(node, ast.Name) and node.id in RECEIVERS) or (
        isinstance(node, ast.Attribute) and node.attr == "config")


def _constant(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str) and NAME.match(node.value):
        return node.value
    return None


def settings_read(path: Path) -> set[str]:
    """Names read as settings: ``config.get("X")``, ``config["X"]``, ``app.config.X``,
    ``current_app.config[...]``, ``cfg.X`` and ``setting(app, "X")``."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if (isinstance(func, ast.Attribute) and func.attr in ("get", "setdefault")
                    and _is_config(func.value)):
                found.add(_constant(node.args[0]) or "")
            elif isinstance(func, ast.Name) and func.id == "setting" and len(node.args) > 1:
                found.add(_constant(node.args[1]) or "")
            elif isinstance(func, ast.Name) and func.id == "getattr" and _is_config(node.args[0]):
                found.add(_constant(node.args[1]) if len(node.args) > 1 else "")
        elif isinstance(node, ast.Subscript) and _is_config(node.value):
            found.add(_constant(node.slice) or "")
        elif isinstance(node, ast.Attribute) and NAME.match(node.attr) and _is_config(node.value):
            found.add(node.attr)
    return found - {""}


READERS = [p for p in [*package_modules("legends", "quests", "nft", "chain"), ROOT / "wsgi.py"]
           if p.name != "config.py" or p.parent.name != "legends"]


def test_the_scan_finds_settings_in_the_code():
    everything = set().union(*(settings_read(p) for p in READERS))
    # Guards the scanner: these are read in several of the forms above.
    assert {"PUBLIC_URL", "REWARD_BATCH_SIZE", "CHAIN_NETWORK", "DEVNET_PORT"} <= everything


@pytest.mark.parametrize("path", READERS, ids=relative)
def test_every_setting_read_is_declared_on_config(path):
    undeclared = settings_read(path) - set(settings())
    assert not undeclared, f"declare {sorted(undeclared)} (typed) on legends.config.Config"


def test_the_scanner_reads_every_form(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('a = app.config.get("ONE")\nb = current_app.config["TWO"]\nc = cfg.THREE\n'
                      'd = setting(app, "FOUR")\ne = config.get("FIVE", 1)\nf = node.config.url\n'
                      'g = getattr(config, "SIX")\n')
    assert settings_read(sample) == {"ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX"}


@pytest.mark.parametrize("cls", sorted(CLASSES.values(), key=lambda c: c.__name__), ids=lambda c: c.__name__)
def test_every_setting_is_annotated_and_its_default_has_that_type(cls):
    declared = settings()
    for name in (n for n in dir(cls) if NAME.match(n)):
        assert name in declared, f"{cls.__name__}.{name} has no annotation on Config"
        kind = declared[name]
        allowed = typing.get_args(kind) if isinstance(kind, types.UnionType) else (kind,)
        value = getattr(cls, name)
        assert isinstance(value, allowed) and not (bool in allowed) ^ isinstance(value, bool), (
            f"{cls.__name__}.{name} = {value!r} is not {kind}")


def test_only_supported_types_are_declared():
    for name, kind in settings().items():
        allowed = typing.get_args(kind) if isinstance(kind, types.UnionType) else (kind,)
        assert set(allowed) <= {int, float, bool, str, type(None)}, name


@pytest.mark.parametrize(("name", "raw", "value"), [
    ("REWARD_BATCH_SIZE", "50", 50),
    ("REWARD_RECEIPT_TIMEOUT", "2.5", 2.5),
    ("CARETAKER_TICK_SECONDS", "0.5", 0.5),
    ("AGENT_INVOKE_PER_MINUTE", "3", 3),
    ("LEADERBOARD_PREFIX", "season2:board", "season2:board"),
    ("CHAIN_ID", "11155111", 11155111),
    ("CHAIN_ID", "", None),
    ("DEVNET_BLOCK_TIME", "", None),
    ("SESSION_COOKIE_SECURE", "true", True),
    ("SESSION_COOKIE_SECURE", "0", False),
    ("SESSION_COOKIE_HTTPONLY", "off", False),
    ("CHAIN_MINTER_KEY", "0xabc", "0xabc"),
])
def test_the_environment_sets_a_setting_as_its_declared_type(name, raw, value):
    assert getattr(load_config(env={name: raw}), name) == value


@pytest.mark.parametrize(("name", "raw"), [("REWARD_BATCH_SIZE", "many"), ("CHAIN_ID", "sepolia"),
                                           ("SESSION_COOKIE_SECURE", "perhaps")])
def test_a_value_of_the_wrong_type_names_the_setting(name, raw):
    with pytest.raises(ConfigurationError, match=name):
        load_config(env={name: raw})


def test_the_app_sees_what_the_environment_set(tmp_path):
    from legends import create_app

    app = create_app(load_config({"INSTANCE_PATH": str(tmp_path)},
                                 env={"LEGENDS_ENV": "testing", "REWARD_MAX_BATCHES": "4"}))
    assert app.config["REWARD_MAX_BATCHES"] == 4
    assert app.config["LEADERBOARD_PREFIX"] == Config.LEADERBOARD_PREFIX


# -- the README's table --------------------------------------------------------------------
def readme_table() -> dict[str, str]:
    """``| `NAME` | type | default | meaning |`` rows of the README's configuration section."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \| ([^|]+) \|", section, re.MULTILINE)
    return {name: kind.strip() for name, kind in rows}


def written(kind: object) -> str:
    allowed = typing.get_args(kind) if isinstance(kind, types.UnionType) else (kind,)
    base = next(a.__name__ for a in allowed if a is not type(None))
    return f"{base} or empty" if type(None) in allowed else base


def test_the_readme_lists_every_setting_with_its_type():
    table = readme_table()
    declared = {name: written(kind) for name, kind in settings().items() if name != "ENV_NAME"}
    assert {n: table.get(n) for n in declared if table.get(n) != declared[n]} == {}
    assert set(table) - set(declared) <= {"LEGENDS_ENV"}, "the README lists settings the code lacks"
