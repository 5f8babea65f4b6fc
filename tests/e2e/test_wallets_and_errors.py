"""The injected-wallet path (EIP-6963 discovery, add-chain after 4902, sign-in, a
transaction) and the readable errors: a rejected signature, missing gas, the faucet's
cooldown and a reverted transaction with its decoded reason."""

from __future__ import annotations

import re

from .e2e_helpers import me, sign_in_with_burner, visit
from .injected import DuneWallet, install


def test_an_injected_wallet_is_discovered_adds_the_devnet_and_signs_in(page, game):
    wallet = DuneWallet(game.rpc_url)
    install(page, wallet)
    visit(page, "/")
    dune = page.get_by_role("button", name="Connect Dune Test Wallet")
    dune.wait_for()
    page.get_by_role("button", name="Connect Mirage Wallet").wait_for()
    assert page.locator("[data-wallets] img").count() == 2  # each listed with its icon
    dune.click()
    page.get_by_text("Dune Test Wallet ready").wait_for()
    assert wallet.added is not None and int(wallet.added["chainId"], 16) == 31337
    assert wallet.added["rpcUrls"] == [game.rpc_url]
    switches = [c for c in wallet.calls if c in ("wallet_switchEthereumChain", "wallet_addEthereumChain")]
    assert switches == ["wallet_switchEthereumChain", "wallet_addEthereumChain", "wallet_switchEthereumChain"]
    page.get_by_role("button", name=re.compile("^Sign in as")).click()
    page.get_by_text("Welcome, traveller").wait_for()
    assert me(page) == wallet.address
    game.fund(wallet.address)
    visit(page, "/regions/gate")
    page.get_by_role("button", name="Carve my Sahara ID").click()
    page.locator("[data-id-message].success, [data-id-message].error").wait_for()
    assert "Your name is carved" in page.locator("[data-id-message]").inner_text(), wallet.errors
    assert "eth_sendTransaction" in wallet.calls


def test_a_rejected_signature_is_said_plainly(page, game):
    wallet = DuneWallet(game.rpc_url, reject_signatures=True)
    install(page, wallet)
    visit(page, "/")
    page.get_by_role("button", name="Connect Dune Test Wallet").click()
    page.get_by_text("Dune Test Wallet ready").wait_for()
    page.get_by_role("button", name=re.compile("^Sign in as")).click()
    page.get_by_text("You rejected the request in your wallet").wait_for()


def test_missing_gas_a_cooldown_and_a_revert_are_readable(page, game):
    address = sign_in_with_burner(page)
    visit(page, "/regions/gate")
    page.get_by_role("button", name="Carve my Sahara ID").click()
    page.get_by_text(re.compile("Not enough ETH to pay for gas")).wait_for()
    page.get_by_role("button", name="Drink from the well").click()
    page.get_by_text("You drank").wait_for()
    page.get_by_role("button", name="Drink from the well").click()
    page.get_by_text(re.compile(r"try again in \d+")).wait_for()
    game.open_region(address, "citadel")
    visit(page, "/regions/citadel")
    page.get_by_role("button", name="Withdraw", exact=True).click()
    page.get_by_text(re.compile("reverted: NoPendingUnstake — you have no unstake waiting")).wait_for()
    assert page.locator("body").inner_text().count("Traceback") == 0
