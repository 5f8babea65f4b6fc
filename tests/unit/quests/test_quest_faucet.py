"""The Gate's faucet rules: a refused claim says why and when to come back, the devnet drips
gas only to empty wallets, and one address claims one at a time without the lock table
growing with every address that ever claimed."""

from __future__ import annotations

import threading
import time

from quests.faucet import (
    GAS_DRIP_BELOW_WEI,
    GAS_DRIP_WEI,
    FaucetRules,
    OneClaimAtATime,
    can_claim,
    gas_drip,
    refusal,
)

TOKEN = 10**18
RULES = FaucetRules(amount=100 * TOKEN, cooldown=3600, daily_cap=300 * TOKEN)


def test_a_claim_is_possible_from_the_next_claim_time_on():
    assert can_claim(next_claim_at=1_000, now=1_000)
    assert not can_claim(next_claim_at=1_001, now=1_000)


def test_a_claim_within_the_cooldown_is_refused_until_the_cooldown_ends():
    refused = refusal(RULES, claimed_today=100 * TOKEN, next_claim_at=4_600, now=1_000)
    assert str(refused) == "this address claimed recently; the faucet allows one claim every 3600s"
    assert (refused.next_claim_at, refused.retry_after) == (4_600, 3_600)


def test_a_claim_over_the_daily_cap_says_to_come_back_after_midnight():
    refused = refusal(RULES, claimed_today=300 * TOKEN, next_claim_at=90_000, now=1_000)
    assert "today's faucet cap of 300 SAHARA" in str(refused)
    assert refused.next_claim_at == 90_000


def test_a_refusal_always_points_to_the_future():
    # The chain refused although our reading said yes (a claim from another process won).
    refused = refusal(RULES, claimed_today=0, next_claim_at=900, now=1_000)
    assert (refused.next_claim_at, refused.retry_after) == (1_001, 1)


def test_no_cap_means_only_the_cooldown_refuses():
    uncapped = FaucetRules(amount=100 * TOKEN, cooldown=60, daily_cap=0)
    assert "claimed recently" in str(refusal(uncapped, 10**30, 2_000, 1_000))


def test_the_devnet_drips_gas_to_empty_wallets_only():
    assert gas_drip("devnet", 0) == GAS_DRIP_WEI
    assert gas_drip("devnet", GAS_DRIP_BELOW_WEI - 1) == GAS_DRIP_WEI
    assert gas_drip("devnet", GAS_DRIP_BELOW_WEI) == 0
    assert gas_drip("sepolia", 0) == 0, "elsewhere players bring their own gas"


def test_one_address_claims_one_at_a_time_and_other_addresses_do_not_wait():
    claims = OneClaimAtATime()
    inside, overlap = [], []

    def claim(address: str) -> None:
        with claims.claiming(address):
            inside.append(address)
            if inside.count(address) > 1:
                overlap.append(address)
            time.sleep(0.002)
            inside.remove(address)

    threads = [threading.Thread(target=claim, args=(a,)) for a in ["0xAa", "0xaa", "0xAA", "0xbb"] * 3]
    for thread in threads:
        thread.start()
    with claims.claiming("0xcc"):
        pass  # never blocked by the others
    for thread in threads:
        thread.join()
    assert overlap == [], "two claims of one address (any case) ran at once"
    assert len(claims) == 0, "locks of finished claims are dropped"


def test_a_failed_claim_releases_its_address():
    claims = OneClaimAtATime()
    try:
        with claims.claiming("0xAa"):
            raise RuntimeError("the node went away")
    except RuntimeError:
        pass
    assert len(claims) == 0
    with claims.claiming("0xaa"):
        assert len(claims) == 1
