"""The dependency rule of the house, for every package (docs/architecture.md):

* Flask lives in ``legends/`` and ``wsgi.py`` only;
* web3 / eth-* live in ``chain/`` and the sign-in modules of ``legends/auth/`` only;
* SQLAlchemy (and Alembic) live in the persistence modules named below only, never beside the
  rules of the game;
* ``quests`` imports none of ``nft``, ``chain``, ``legends``; ``nft`` imports ``quests`` and
  ``chain.port`` only; ``chain`` imports none of them.

Imports are read with ``ast``, so nothing here runs the code it judges.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pytest
from house_imports import ROOT, Import, imports, package_modules, relative

EVERY_MODULE = [*package_modules("legends", "quests", "nft", "chain"), ROOT / "wsgi.py"]

# Modules that may import SQLAlchemy, each with the reason it may.
PERSISTENCE = {
    "*/orm.py": "a package's tables",
    "*/store.py": "a package's persistence module",
    "quests/catalog_store.py": "loads the quest catalog into its tables",
    "quests/journey.py": "quest service: reads and writes progress rows in the caller's session",
    "quests/queries.py": "the quest service's hot-path statements, built once with bound parameters",
    "quests/batch.py": "quest service: a verification batch's journeys, read together",
    "quests/service.py": "quest service: reads and writes progress rows in the caller's session",
    "quests/reorg.py": "quest service: takes back completions a reorg undid",
    "quests/wayside.py": "quest service: a wallet's logs from before its first sign-in",
    "quests/why.py": "quest service: the why and explain reports read progress and evidence rows",
    "quests/checkins.py": "quest service: daily check-in rows",
    "quests/overview.py": "quest service: the player's quest log, read in one query",
    "quests/leaderboard.py": "quest service: leaderboard queries over completions",
    "quests/campaign_store.py": "campaigns' tables, budget charges and the calendar read",
    "quests/campaign_service.py": "campaign service: admin edits and scheduler marks in the caller's session",
    "nft/operations.py": "the ledger: admins retry and cancel failed or deferred grants",
    "legends/admin/roles.py": "the admin role's rows",
    "legends/admin/audit.py": "the audit log's rows",
    "legends/admin/views.py": "the admin request's unit of work: one transaction, IntegrityError -> 409",
    "legends/scheduler/jobs.py": "each job is one transaction with its run row",
    "legends/scheduler/runner.py": "reads the campaign rows it reconciles into jobs",
    "nft/outbox.py": "the ledger: records grants (INSERT .. ON CONFLICT DO NOTHING)",
    "nft/outbox_batches.py": "the ledger: the reward worker's batches",
    "nft/outbox_reads.py": "the ledger: totals, backlog, open grants",
    "nft/mint_audit_store.py": "the ledger's audit: unledgered mints found on chain",
    "legends/db.py": "the engine and the session factory",
    "legends/migrate.py": "Alembic upgrades",
    "legends/auth/players.py": "sign-in: nonces and player rows in the caller's session",
    "legends/auth/session.py": "loads the signed-in player",
    "legends/api/play.py": "the request's unit of work: one transaction, IntegrityError -> 409",
    "legends/api/errors.py": "translates a unique-constraint race (IntegrityError) into a 409",
    "legends/wiring/*.py": "wiring binds the domain packages to the database and the chain",
    "legends/workers/locks.py": "single-instance locks are database locks",
    "legends/workers/verification.py": "the indexer loop owns its transactions",
    "legends/workers/wakeup.py": "wakes the reward worker once the grants' transaction commits",
    "legends/realtime/events.py": "the event log's unit of work: emitted only after the commit",
    "legends/realtime/happenings.py": "reads what a live event reports, in the caller's session",
    "legends/realtime/snapshot.py": "reads the player's state for a resync, in one session",
}
SIGN_IN = {
    "legends/auth/siwe.py": "EIP-191 signature recovery for EIP-4361 sign-in",
    "legends/auth/siwe_grammar.py": "EIP-55 checksums of the signed address",
}
FLASK = ("flask", "flask_socketio", "flask_limiter", "werkzeug")
SQL = ("sqlalchemy", "alembic")
# What each domain package may import of the others (legends may import them all).
MAY_IMPORT = {
    "quests": (),
    "nft": ("quests", "chain.port"),
    "chain": (),
}
DOMAIN = ("legends", "quests", "nft", "chain")


def is_eth(found: Import) -> bool:
    return found.top == "web3" or found.top.startswith("eth_") or found.top == "hexbytes"


def ids(path: Path) -> str:
    return relative(path)


def allowed(path: Path, patterns: dict[str, str]) -> bool:
    return any(fnmatch(relative(path), pattern) for pattern in patterns)


@pytest.mark.parametrize("path", EVERY_MODULE, ids=ids)
def test_flask_is_imported_only_by_the_web_layer(path):
    if relative(path).startswith("legends/") or relative(path) == "wsgi.py":
        return
    assert not [i.module for i in imports(path) if i.top in FLASK]


@pytest.mark.parametrize("path", EVERY_MODULE, ids=ids)
def test_web3_and_eth_libraries_only_in_chain_and_sign_in(path):
    if relative(path).startswith("chain/") or relative(path) in SIGN_IN:
        return
    assert not [i.module for i in imports(path) if is_eth(i)]


@pytest.mark.parametrize("path", EVERY_MODULE, ids=ids)
def test_sqlalchemy_only_in_persistence_modules(path):
    """A session's type in an annotation (under ``TYPE_CHECKING``) is not a use of the database."""
    if allowed(path, PERSISTENCE):
        return
    used = [i.module for i in imports(path) if i.top in SQL and not i.type_only]
    assert not used, f"{relative(path)} holds rules or views; keep the database in a persistence module"


@pytest.mark.parametrize("package", sorted(MAY_IMPORT))
def test_domain_packages_import_only_what_the_rule_allows(package):
    wrong = []
    for path in package_modules(package):
        for found in imports(path):
            if found.top not in DOMAIN or found.top == package:
                continue
            if not any(found.reaches(target) and _within(found, target) for target in MAY_IMPORT[package]):
                wrong.append(f"{relative(path)} imports {found.module} {found.names or ''}".strip())
    assert not wrong


def _within(found: Import, target: str) -> bool:
    """``from chain import port, rpc`` reaches chain.port but takes chain.rpc too: refuse it."""
    package, _, leaf = target.rpartition(".")
    if package and found.module == package:
        return set(found.names) <= {leaf}
    return True


@pytest.mark.parametrize("patterns", [PERSISTENCE, SIGN_IN], ids=["persistence", "sign-in"])
def test_every_allowance_names_a_module_that_exists(patterns):
    modules = [relative(p) for p in EVERY_MODULE]
    assert [p for p in patterns if not any(fnmatch(m, p) for m in modules)] == []


def test_the_reader_sees_imports_in_every_form(tmp_path, monkeypatch):
    """The scanner itself: relative imports, ``from x import y`` and TYPE_CHECKING blocks."""
    import house_imports

    package = tmp_path / "nft"
    package.mkdir()
    module = package / "sample.py"
    module.write_text("from typing import TYPE_CHECKING\nimport chain.rpc\nfrom . import ledger\n"
                      "from chain import port\nif TYPE_CHECKING:\n    from sqlalchemy.orm import Session\n")
    monkeypatch.setattr(house_imports, "ROOT", tmp_path)
    found = {(i.module, i.type_only, i.names) for i in imports(module)}
    assert {("chain.rpc", False, ()), ("nft", False, ("ledger",)), ("chain", False, ("port",)),
            ("sqlalchemy.orm", True, ("Session",))} <= found
