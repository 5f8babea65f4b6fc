"""Schemathesis against the real app on the devnet: every operation of the generated document,
anonymous and signed in (EIP-4361 with a test key), with every default check (no server
error, status and content type documented, the body fits its schema, headers, bad input
refused, auth not ignored, ...). A bounded number of examples per operation keeps it short;
the faucet claims for real on the chain."""

from __future__ import annotations

import tempfile

import pytest
import schemathesis
from api_contract_tally import TALLY
from hypothesis import HealthCheck, settings
from rewards_api_support import chain_app, dev_player, sign_in
from schemathesis.specs.openapi.checks import positive_data_acceptance

from legends.wiring.catalog import load_quests

pytestmark = pytest.mark.devnet

EXAMPLES = 12  # per operation and role


@pytest.fixture(scope="module")
def contract_app(tmp_path_factory, devnet, deployed, chain_tx, keyring_home):
    import shutil

    from legends import create_app, migrate

    snap = chain_tx.chain.snapshot()
    instance = tmp_path_factory.mktemp("contract") / "instance"
    shutil.copytree(keyring_home / "keys", instance / "keys")  # the session's devnet keys
    app = create_app({"ENV_NAME": "testing", "DATABASE_URL": None, "CHAIN_RPC_URL": devnet.config.url,
                      "INSTANCE_PATH": str(instance)})
    migrate.upgrade(app.extensions["legends.db"].url)
    chain_app(lambda **_: app, devnet, deployed)
    load_quests(app.extensions["legends.db"].sessions, say=lambda _m: None)
    yield app
    chain_tx.chain.revert(snap)
    chain_tx.forget_nonces()


@pytest.fixture(scope="module")
def session_cookie(contract_app) -> str:
    """A real sign-in: nonce, an EIP-4361 message signed by a test key, verify."""
    client = contract_app.test_client()
    sign_in(client, dev_player(3))
    return client.get_cookie("session").value


@pytest.fixture(scope="module")
def logout_cookie(contract_app) -> str:
    """A second sign-in, for the logout operation only: logout ends its session on the
    server, which must not end the one every other operation uses."""
    client = contract_app.test_client()
    sign_in(client, dev_player(2))
    return client.get_cookie("session").value


def document_app():
    """An app that only serves the document (no chain, no database): schemathesis reads the
    operations at collection time; the calls then go to ``contract_app``."""
    from legends import create_app

    return create_app({"ENV_NAME": "testing", "DATABASE_URL": "sqlite://",
                       "INSTANCE_PATH": tempfile.mkdtemp(prefix="legends-contract-")})


DOCUMENT = document_app()
visitor_schema = schemathesis.openapi.from_wsgi("/api/openapi.json", DOCUMENT)
player_schema = schemathesis.openapi.from_wsgi("/api/openapi.json", DOCUMENT)
# Schemathesis builds some cases while collecting, before any fixture ran: they carry this
# stand-in, swapped for the real cookie of ``session_cookie`` just before the call.
STAND_IN = "signed-in-player"


@player_schema.auth()
class SessionCookie:
    """Schemathesis' auth for the player run: the session cookie of a real sign-in. As an auth
    (not a fixed cookie) it is left out or spoiled where a check needs that (ignored auth)."""

    def get(self, case, ctx):  # type: ignore[no-untyped-def]
        return STAND_IN

    def set(self, case, data, ctx):  # type: ignore[no-untyped-def]
        case.cookies = {**(case.cookies or {}), "session": data}
bounded = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                   suppress_health_check=list(HealthCheck))


# The one check left out, for one operation: a sign-in message follows the EIP-4361 grammar,
# which JSON Schema cannot express, so a schema-valid but malformed message is rightly a 400
# naming the part at fault (see test_sign_in.py); every other check still runs there.
GRAMMAR_CHECKED = {"POST /api/auth/verify": [positive_data_acceptance]}


def call_and_validate(case, app, role: str) -> None:
    label = case.operation.label
    # As the browser client calls (legends.auth.forgery refuses a cookie's change without it).
    case.headers = {**(case.headers or {}), "X-Requested-With": "legends"}
    response = case.call_and_validate(app=app,
                                      excluded_checks=GRAMMAR_CHECKED.get(label, []))
    TALLY.count(role, label, response.status_code)


@visitor_schema.parametrize()
@bounded
def test_the_api_keeps_its_contract_for_visitors(case, contract_app):
    call_and_validate(case, contract_app, "anonymous")


@player_schema.parametrize()
@bounded
def test_the_api_keeps_its_contract_for_signed_in_players(case, contract_app, session_cookie,
                                                          logout_cookie):
    if (case.cookies or {}).get("session") == STAND_IN:
        ending = case.operation.label == "POST /api/auth/logout"
        case.cookies = {**case.cookies, "session": logout_cookie if ending else session_cookie}
    call_and_validate(case, contract_app, "signed in")


def test_the_signed_in_run_really_played():
    """The signed-in run reached the game (not only 401s): the faucet paid on the chain."""
    if not TALLY.statuses.get("signed in"):
        pytest.skip("the signed-in contract run did not run in this session")
    seen = TALLY.statuses["signed in"]
    assert 200 in seen["GET /api/me"] and 201 in seen["POST /api/faucet"], seen
    assert 401 in TALLY.statuses["anonymous"]["GET /api/me"]
