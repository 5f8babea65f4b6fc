"""A player's real transactions complete quests of every region by themselves: the indexer
loop sees the block and the quest engine completes the quest, with no refresh button."""

from __future__ import annotations

from eth_utils import keccak

from chain.attestation import sign_invocation

TOKEN = 10**18
ZERO = "0x" + "00" * 20


def test_claiming_from_the_faucet_completes_the_gate_quest(funded, suite, sign_in, accept, make_loop,
                                                           settle, verified, heard):
    player = funded[0]
    sign_in(player)
    loop = make_loop()
    accept(player, "gate.faucet")
    suite.token.transact(player, "claim")
    settle(loop)
    assert verified(player) == {"gate.faucet"}
    assert ("completed", player, "gate.faucet") in heard()


def test_labels_and_a_reviewers_nod_complete_the_oasis_quests(funded, suite, signers, sign_in, unlock,
                                                              accept, make_loop, settle, verified):
    player, admin = funded[0], signers.deployer.address
    sign_in(player)
    unlock(player, "oasis")
    loop = make_loop()
    suite.token.transact(admin, "mint", admin, 100 * TOKEN)
    suite.token.transact(admin, "approve", suite.data.address, 100 * TOKEN)
    suite.data.transact(admin, "postTask", "ipfs://dunes", 5 * TOKEN, 50 * TOKEN)
    accept(player, "oasis.first-labels")
    for i in range(3):
        suite.data.transact(player, "submitLabel", 1, keccak(text=f"dune-{i}"))
    settle(loop)
    assert verified(player) == {"oasis.first-labels"}
    accept(player, "oasis.label-accepted")
    suite.data.transact(admin, "reviewLabel", 2, True)
    settle(loop)
    assert verified(player) == {"oasis.first-labels", "oasis.label-accepted"}


def test_registering_and_invoking_an_agent_completes_the_forge_quests(funded, suite, signers, chain_tx,
                                                                      sign_in, unlock, accept, make_loop,
                                                                      settle, verified):
    developer, relayer = funded[0], funded[1]
    sign_in(developer)
    unlock(developer, "forge")
    loop = make_loop()
    accept(developer, "forge.register-agent")
    suite.agents.transact(developer, "registerAgent", "ipfs://djinn", 10 * TOKEN, keccak(text="model"), [])
    settle(loop)
    assert verified(developer) == {"forge.register-agent"}
    accept(developer, "forge.invoke")
    signature = sign_invocation(signers.attester, chain_tx.chain_id, suite.agents.address, 1, developer,
                                keccak(text="question"), keccak(text="answer"), 1)
    # Anyone may submit an attested invocation; the quest follows its caller.
    suite.agents.transact(relayer, "recordInvocation", 1, developer, keccak(text="question"),
                          keccak(text="answer"), 1, signature)
    settle(loop)
    assert verified(developer) == {"forge.register-agent", "forge.invoke"}


def test_a_listing_and_another_players_purchase_complete_the_bazaar_quests(funded, suite, sign_in, unlock,
                                                                           accept, make_loop, settle,
                                                                           verified):
    seller, buyer = funded[0], funded[1]
    for player in (seller, buyer):
        sign_in(player)
        unlock(player, "bazaar")
    loop = make_loop()
    accept(seller, "bazaar.first-listing")
    accept(buyer, "bazaar.first-purchase")
    suite.market.transact(seller, "list", 1, 7, 5 * TOKEN, "ipfs://model")  # a model: free-form
    suite.token.transact(buyer, "claim")
    suite.token.transact(buyer, "approve", suite.market.address, 5 * TOKEN)
    suite.market.transact(buyer, "buy", 1)
    settle(loop)
    assert verified(seller) == {"bazaar.first-listing"}
    assert verified(buyer) == {"bazaar.first-purchase"}


def test_staking_and_voting_complete_the_citadel_quests(funded, suite, signers, sign_in, unlock, accept,
                                                        make_loop, settle, verified):
    staker, admin = funded[0], signers.deployer.address
    sign_in(staker)
    unlock(staker, "citadel")
    loop = make_loop()
    accept(staker, "citadel.stake")
    suite.token.transact(staker, "claim")
    suite.token.transact(staker, "approve", suite.staking.address, 100 * TOKEN)
    suite.staking.transact(staker, "stake", 100 * TOKEN)
    settle(loop)
    assert verified(staker) == {"citadel.stake"}
    accept(staker, "citadel.vote")
    suite.token.transact(admin, "mint", admin, 100 * TOKEN)
    suite.token.transact(admin, "approve", suite.staking.address, 100 * TOKEN)
    suite.staking.transact(admin, "stake", 100 * TOKEN)
    suite.governance.transact(admin, "propose", "Widen the gate", ZERO, b"")
    suite.governance.transact(staker, "castVote", 1, 1)
    settle(loop)
    assert verified(staker) == {"citadel.stake", "citadel.vote"}


def test_labels_count_from_the_block_the_oasis_opened_without_accepting(
        funded, suite, signers, sign_in, make_loop, settle, verified, evidence_count):
    """The counting rule on the real chain: labels made while the Oasis was sealed (no Sahara
    ID yet) do not count; once the ID is minted the Oasis is open from that block, and three
    labels complete Reading the Dunes, nobody having pressed accept."""
    player, admin = funded[0], signers.deployer.address
    sign_in(player)
    loop = make_loop()
    suite.token.transact(player, "claim")
    suite.token.transact(admin, "mint", admin, 100 * TOKEN)
    suite.token.transact(admin, "approve", suite.data.address, 100 * TOKEN)
    suite.data.transact(admin, "postTask", "ipfs://dunes", 5 * TOKEN, 50 * TOKEN)
    for i in range(3):
        suite.data.transact(player, "submitLabel", 1, keccak(text=f"early-{i}"))
    settle(loop)
    assert verified(player) == {"gate.faucet"} and evidence_count(player, "oasis.first-labels") == 0
    suite.identity.transact(player, "mint", "ipfs://me")
    settle(loop)
    assert verified(player) == {"gate.faucet", "gate.sahara-id"}
    for i in range(3):
        suite.data.transact(player, "submitLabel", 1, keccak(text=f"late-{i}"))
    settle(loop)
    assert verified(player) == {"gate.faucet", "gate.sahara-id", "oasis.first-labels"}
    assert evidence_count(player, "oasis.first-labels") == 3
