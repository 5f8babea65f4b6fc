"""Reporting for the API contract run (``test_api_schemathesis.py``): its summary line is
written to the terminal even under ``-q``."""

from __future__ import annotations

from api_contract_tally import TALLY

ROLES = {"visitors": "anonymous", "signed_in_players": "signed in"}


def pytest_runtest_logreport(report):  # type: ignore[no-untyped-def]
    if report.when == "call" and report.failed and "test_api_schemathesis" in report.nodeid:
        for suffix, role in ROLES.items():
            if f"contract_for_{suffix}[" in report.nodeid:
                TALLY.fail(role)


def pytest_terminal_summary(terminalreporter):  # type: ignore[no-untyped-def]
    if TALLY.examples:
        terminalreporter.write_line(TALLY.summary())
