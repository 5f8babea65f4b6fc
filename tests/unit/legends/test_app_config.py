"""The factory and the configuration classes."""

from __future__ import annotations

import pytest

from legends import create_app
from legends.config import DEFAULT_SECRET, ConfigurationError, load_config

GOOD_SECRET = "q7Vw2Lr9Zk4Tn8Bx1Hc6Jm3Pf5Ds0Ga-_Ye"  # random-looking, 36 characters
KEY = "0x" + "11" * 32


def production(**env: str) -> dict[str, str]:
    return {"LEGENDS_ENV": "production", "CHAIN_RPC_URL": "http://127.0.0.1:1", **env}


def test_factory_builds_an_app_without_touching_the_network(tmp_path):
    app = create_app({"ENV_NAME": "testing", "INSTANCE_PATH": str(tmp_path)})
    assert app.testing
    assert "legends.db" in app.extensions and "legends.chain" in app.extensions
    assert app.extensions["legends.db"].url.startswith("sqlite:///" + str(tmp_path))


def test_development_defaults_to_sqlite_and_the_devnet():
    config = load_config(env={})
    assert config.DATABASE_URL is None and config.CHAIN_NETWORK == "devnet"


def test_environment_overrides_class_defaults():
    config = load_config(env={"DEVNET_PORT": "9999", "REDIS_URL": "redis://h:1/0"})
    assert config.DEVNET_PORT == 9999 and config.REDIS_URL == "redis://h:1/0"


def test_a_non_numeric_port_names_the_setting():
    with pytest.raises(ConfigurationError, match="DEVNET_PORT"):
        load_config(env={"DEVNET_PORT": "lots"})


@pytest.mark.parametrize("secret", [None, DEFAULT_SECRET, "short"])
def test_production_refuses_a_default_or_weak_secret(secret):
    env = production(CHAIN_SIGNER_KEY=KEY)
    if secret is not None:
        env["SECRET_KEY"] = secret
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_config(env=env).validate()


def test_production_refuses_to_start_without_a_signer_key():
    with pytest.raises(ConfigurationError, match="CHAIN_SIGNER_KEY"):
        load_config(env=production(SECRET_KEY=GOOD_SECRET)).validate()


def test_production_starts_with_a_secret_and_a_signer_key():
    load_config(env=production(SECRET_KEY=GOOD_SECRET, CHAIN_SIGNER_KEY=KEY)).validate()


def test_unknown_network_is_refused():
    with pytest.raises(ConfigurationError, match="unknown network 'moon'"):
        load_config(env={"CHAIN_NETWORK": "moon"}).validate()


@pytest.mark.parametrize("secret", [" " * 32, "a" * 64, "ab" * 32, "password" * 4,
                                    "0123456789abcd" * 3])
def test_production_refuses_a_secret_without_entropy(secret):
    from legends.config import ConfigurationError, load_config

    config = load_config(env=production(SECRET_KEY=secret, CHAIN_SIGNER_KEY="0x" + "11" * 32))
    with pytest.raises(ConfigurationError) as refused:
        config.validate()
    assert refused.value.setting == "SECRET_KEY"


def test_production_accepts_a_random_secret():
    import secrets

    from legends.config import load_config

    load_config(env=production(SECRET_KEY=secrets.token_urlsafe(32),
                               CHAIN_SIGNER_KEY="0x" + "11" * 32)).validate()


def test_production_on_the_devnet_is_refused():
    import secrets

    from legends.config import ConfigurationError, load_config

    config = load_config(env=production(SECRET_KEY=secrets.token_urlsafe(32), CHAIN_NETWORK="devnet",
                                        CHAIN_SIGNER_KEY="0x" + "11" * 32))
    with pytest.raises(ConfigurationError) as refused:
        config.validate()
    assert refused.value.setting == "CHAIN_NETWORK"


EXTERNAL = {"CHAIN_NETWORK": "external", "CHAIN_RPC_URL": "http://127.0.0.1:1"}


@pytest.mark.parametrize("env,seconds", [
    ({}, 0.01),
    (EXTERNAL, 1.0),
    ({"CHAIN_RECEIPT_POLL_MS": "250"}, 0.25),
    ({**EXTERNAL, "CHAIN_RECEIPT_POLL_MS": "50"}, 0.05),
])
def test_the_receipt_poll_interval_is_per_network(env, seconds, tmp_path):
    from legends.wiring.chainlink import build_chain_link

    config = load_config(env=env)
    assert config.receipt_poll_seconds() == seconds
    link = build_chain_link(config, str(tmp_path), {})
    assert link.receipt_poll == seconds


@pytest.mark.parametrize("env,wei", [({}, None), ({"CHAIN_MAX_FEE_GWEI": ""}, None),
                                     ({"CHAIN_MAX_FEE_GWEI": "2.5"}, 2_500_000_000)])
def test_the_fee_cap_is_in_gwei_and_empty_means_none(env, wei):
    config = load_config(env=env)
    config.validate()
    assert config.max_fee_wei() == wei


@pytest.mark.parametrize("env,name", [({"CHAIN_MAX_FEE_GWEI": "0"}, "CHAIN_MAX_FEE_GWEI"),
                                      ({"CHAIN_MAX_FEE_GWEI": "-1"}, "CHAIN_MAX_FEE_GWEI"),
                                      ({"REWARD_REORG_WINDOW": "-1"}, "REWARD_REORG_WINDOW")])
def test_a_fee_cap_or_reorg_window_below_zero_is_refused(env, name):
    with pytest.raises(ConfigurationError) as refused:
        load_config(env=env).validate()
    assert refused.value.setting == name
