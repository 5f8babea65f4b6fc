"""Signer keys from the instance folder (``instance/keys/chain_signer_key``), production too:
the environment wins, and a key file others may read, or one without a key, is refused
naming the setting and never showing the key."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from eth_account import Account

from legends import create_app
from legends.config import ConfigurationError, load_config

SECRET = "q7Vw2Lr9Zk4Tn8Bx1Hc6Jm3Pf5Ds0Ga-_Ye"
FILE_KEY = "0x" + "4b" * 32
ENV_KEY = "0x" + "11" * 32


def production(instance: Path, **env: str) -> dict[str, str]:
    return {"LEGENDS_ENV": "production", "SECRET_KEY": SECRET, "CHAIN_RPC_URL": "http://127.0.0.1:1",
            "INSTANCE_PATH": str(instance), **env}


def key_file(instance: Path, name: str = "chain_signer_key", text: str = FILE_KEY, mode: int = 0o600) -> Path:
    path = instance / "keys" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n")
    path.chmod(mode)
    return path


def test_production_starts_with_the_signer_key_only_in_the_instance_folder(tmp_path):
    key_file(tmp_path)
    config = load_config(env=production(tmp_path))
    config.validate()
    app = create_app(config)
    signers = app.extensions["legends.chain"].signers
    assert signers.deployer.address == Account.from_key(FILE_KEY).address


def test_the_instance_folder_is_flasks_when_instance_path_is_unset(tmp_path):
    key_file(tmp_path)
    env = production(tmp_path)
    del env["INSTANCE_PATH"]
    load_config(env=env).validate(tmp_path)
    with pytest.raises(ConfigurationError, match="CHAIN_SIGNER_KEY"):
        load_config(env=env).validate(tmp_path / "elsewhere")


def test_the_environment_wins_over_the_key_file(tmp_path):
    key_file(tmp_path)
    app = create_app(load_config(env=production(tmp_path, CHAIN_SIGNER_KEY=ENV_KEY)))
    assert app.extensions["legends.chain"].signers.deployer.address == Account.from_key(ENV_KEY).address


def test_the_service_keys_come_from_their_files_too(tmp_path):
    minter = "0x" + "5c" * 32
    key_file(tmp_path)
    key_file(tmp_path, "chain_minter_key", minter)
    signers = create_app(load_config(env=production(tmp_path))).extensions["legends.chain"].signers
    assert signers.minter.address == Account.from_key(minter).address
    assert signers.faucet.address == Account.from_key(FILE_KEY).address


def test_without_a_key_anywhere_the_refusal_names_the_setting_and_the_file(tmp_path):
    with pytest.raises(ConfigurationError) as refused:
        load_config(env=production(tmp_path)).validate()
    assert refused.value.setting == "CHAIN_SIGNER_KEY"
    assert str(tmp_path / "keys" / "chain_signer_key") in str(refused.value)


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_key_file_others_may_read_is_refused(tmp_path, mode):
    key_file(tmp_path, mode=mode)
    with pytest.raises(ConfigurationError) as refused:
        load_config(env=production(tmp_path)).validate()
    assert refused.value.setting == "CHAIN_SIGNER_KEY" and "chmod 600" in str(refused.value)
    assert FILE_KEY[2:] not in str(refused.value)


@pytest.mark.parametrize("text", ["not a key", "0x1234", "0x" + "zz" * 32, FILE_KEY + "00"])
def test_a_key_file_without_a_key_is_refused_without_showing_it(tmp_path, text):
    key_file(tmp_path, "chain_faucet_key", text)
    key_file(tmp_path)
    with pytest.raises(ConfigurationError) as refused:
        load_config(env=production(tmp_path)).validate()
    assert refused.value.setting == "CHAIN_FAUCET_KEY" and "signer key" in str(refused.value)
    assert text not in str(refused.value)


def test_a_key_file_that_is_not_text_or_not_a_file_is_refused(tmp_path):
    path = key_file(tmp_path)
    path.write_bytes(b"\xff\xfe" * 40)
    with pytest.raises(ConfigurationError, match="CHAIN_SIGNER_KEY: .* is not a key file"):
        load_config(env=production(tmp_path)).validate()
    path.unlink()
    path.mkdir()
    with pytest.raises(ConfigurationError, match="CHAIN_SIGNER_KEY: .* is not a file"):
        load_config(env=production(tmp_path)).validate()


def test_a_key_file_the_app_cannot_read_is_named(tmp_path, monkeypatch):
    path = key_file(tmp_path)
    if os.geteuid() == 0:  # root reads any file: refuse the read as the kernel would
        def refuse(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            raise PermissionError(13, "Permission denied", str(self))
        monkeypatch.setattr(Path, "read_text", refuse)
    else:
        path.chmod(0o000)
    with pytest.raises(ConfigurationError, match="CHAIN_SIGNER_KEY: cannot read .*permission denied"):
        load_config(env=production(tmp_path)).validate()


def test_a_bad_key_in_the_environment_names_the_setting_at_start(tmp_path):
    with pytest.raises(ConfigurationError) as refused:
        create_app(load_config(env=production(tmp_path, CHAIN_SIGNER_KEY="zz")))
    assert refused.value.setting == "CHAIN_SIGNER_KEY"


def test_the_devnet_reads_no_key_files(tmp_path):
    key_file(tmp_path, mode=0o644)  # would be refused off the devnet
    config = load_config(env={"INSTANCE_PATH": str(tmp_path)})
    config.validate()
    assert config.chain_keys(tmp_path) == {}
