"""The playable test runs on a devnet of its own: it moves the chain's clock by days, which
must not leak into the session devnet the other tests share. Its table of seconds to
completion is printed in the terminal summary, so it shows in ``make test`` output."""

from __future__ import annotations

import pytest
from netutil import free_port

TABLES: list[list[str]] = []


@pytest.fixture
def own_devnet(tmp_path_factory):
    from chain.devnet import Devnet, DevnetConfig
    from chain.errors import ChainError

    for attempt in range(3):  # a free port can be taken by another process before anvil binds it
        node = Devnet(DevnetConfig(instance_path=tmp_path_factory.mktemp("playable-devnet"),
                                   port=free_port()))
        try:
            node.start()
            break
        except ChainError:
            node.stop()
            if attempt == 2:
                raise
    yield node
    node.stop()


@pytest.fixture
def report_table():
    return TABLES


def pytest_terminal_summary(terminalreporter, exitstatus, config):  # noqa: ARG001 (pytest's hook)
    for lines in TABLES:
        terminalreporter.section("every quest is playable")
        for line in lines:
            terminalreporter.write_line(line)
