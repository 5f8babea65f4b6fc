"""RPC credentials are hidden wherever a URL is shown: one function decides what is secret."""

from __future__ import annotations

import logging

import pytest

from chain.errors import RpcUnavailable
from chain.redact import redact_logs, redact_text, redact_url, remember, secrets_of

INFURA_KEY = "0123456789abcdef0123456789abcdef"


@pytest.mark.parametrize(("url", "shown"), [
    ("http://user:hunter2@rpc.example/?apikey=SECRETKEY", "http://***@rpc.example/?apikey=***"),
    (f"https://mainnet.infura.io/v3/{INFURA_KEY}", "https://mainnet.infura.io/v3/***"),
    ("https://eth-mainnet.g.alchemy.com/v2/AbCdEfGhIjKlMnOpQrStUvWxYz", "https://eth-mainnet.g.alchemy.com/v2/***"),
    ("https://x.quiknode.pro/9f8e7d6c5b4a39281706f5e4d3c2b1a0/", "https://x.quiknode.pro/***/"),
    ("wss://token@node.example:8546/ws?key=abc&chain=", "wss://***@node.example:8546/ws?key=***&chain"),
    ("http://127.0.0.1:8545", "http://127.0.0.1:8545"),
    ("http://localhost:8545/", "http://localhost:8545/"),
    ("https://rpc.sepolia.example/ethereum-sepolia/rpc", "https://rpc.sepolia.example/ethereum-sepolia/rpc"),
    ("http://[::1]:8545#frag", "http://[::1]:8545#***"),
])
def test_a_url_keeps_its_host_and_loses_its_secrets(url, shown):
    assert redact_url(url) == shown
    for secret in secrets_of(url):
        assert secret not in redact_url(url)


def test_a_url_that_does_not_parse_is_hidden_whole_if_it_may_hold_a_secret():
    assert redact_url("http://user:pw@host:notaport/") == "***"
    assert redact_url("not a url") == "not a url"


def test_text_with_urls_is_redacted_and_remembered_secrets_too():
    remember(f"https://mainnet.infura.io/v3/{INFURA_KEY}?apikey=REMEMBEREDKEY")
    text = f'POST /v3/{INFURA_KEY}?apikey=REMEMBEREDKEY "HTTP/1.1" and http://a:b@c.example/x'
    shown = redact_text(text)
    assert INFURA_KEY not in shown and "REMEMBEREDKEY" not in shown and "a:b@" not in shown
    assert "c.example/x" in shown


def test_the_unreachable_error_names_the_node_without_its_credentials():
    exc = RpcUnavailable("http://user:hunter2@rpc.example/?apikey=SECRETKEY", "ConnectionError")
    assert "hunter2" not in str(exc) and "SECRETKEY" not in str(exc) and "rpc.example" in str(exc)
    assert "hunter2" not in exc.url


def test_log_records_are_redacted_whoever_logs_them(caplog):
    redact_logs()
    url = "http://user:hunter2@rpc.example/v3/" + INFURA_KEY
    remember(url)
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("urllib3.connectionpool").debug('"POST /v3/%s HTTP/1.1" 200', INFURA_KEY)
        logging.getLogger("anything.else").warning("calling %s", url)
        try:
            raise RuntimeError(f"failed on {url}")
        except RuntimeError:
            logging.getLogger("legends.somewhere").exception("it broke")
    assert caplog.records
    assert "hunter2" not in caplog.text and INFURA_KEY not in caplog.text
    assert "rpc.example" in caplog.text
