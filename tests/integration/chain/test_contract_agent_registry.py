"""AgentRegistry: agents, paid licences and EIP-712 attested invocations."""

from __future__ import annotations

import pytest
from eth_utils import keccak

from chain.accounts import FIRST_PLAYER_INDEX, dev_account
from chain.attestation import digest as digest_of
from chain.attestation import invocation_message, sign_invocation
from chain.errors import ContractRevert

TOKEN = 10**18
FEE = 25 * TOKEN
ZERO = "0x" + "00" * 20
MODEL = keccak(text="model-v1")
IN, OUT = keccak(text="input"), keccak(text="output")


@pytest.fixture
def agent(suite, players):
    """Agent 1 by players[0] (the developer), licence fee FEE."""
    suite.agents.transact(players[0], "registerAgent", "ipfs://agent", FEE, MODEL, [3, 4])
    return 1


@pytest.fixture
def licensee(suite, signers, players, agent):
    """players[1], holding a licence for the agent."""
    suite.token.transact(signers.deployer.address, "mint", players[1], FEE)
    suite.token.transact(players[1], "approve", suite.agents.address, FEE)
    suite.agents.transact(players[1], "licenseAgent", agent)
    return players[1]


def invocation(suite, chain_tx, agent_id, caller, nonce, input_hash=IN, output_hash=OUT):
    return invocation_message(chain_tx.chain_id, suite.agents.address, agent_id, caller, input_hash,
                              output_hash, nonce)


def attest(suite, chain_tx, signer, agent_id, caller, nonce, input_hash=IN, output_hash=OUT) -> bytes:
    return sign_invocation(signer, chain_tx.chain_id, suite.agents.address, agent_id, caller, input_hash,
                           output_hash, nonce)


# -- register and license ----------------------------------------------------------------
def test_registering_an_agent_records_its_developer_fee_and_datasets(suite, players):
    receipt = suite.agents.transact(players[0], "registerAgent", "ipfs://agent", FEE, MODEL, [3, 4])
    assert suite.agents.events(receipt) == [("AgentRegistered", {
        "agentId": 1, "developer": players[0], "licenseFee": FEE, "metadataURI": "ipfs://agent"})]
    assert suite.agents.call("agentInfo", 1) == (players[0], FEE, MODEL, 0, "ipfs://agent", (3, 4))
    assert suite.agents.call("developerOf", 1) == players[0]
    assert suite.agents.call("developerOf", 2) == ZERO
    assert suite.agents.call("agentCount") == 1
    assert suite.agents.call("isLicensed", 1, players[0]) is False, "the developer is not a licensee"


def test_licensing_an_agent_pays_the_fee_to_its_developer(suite, signers, players, agent):
    developer, buyer = players[0], players[1]
    suite.token.transact(signers.deployer.address, "mint", buyer, 100 * TOKEN)
    suite.token.transact(buyer, "approve", suite.agents.address, FEE)
    receipt = suite.agents.transact(buyer, "licenseAgent", agent)
    assert suite.agents.events(receipt) == [("AgentLicensed", {
        "agentId": agent, "licensee": buyer, "developer": developer, "fee": FEE})]
    assert suite.token.events(receipt, "Transfer") == [
        ("Transfer", {"from": buyer, "to": developer, "value": FEE})]
    assert suite.token.balance_of(developer) == FEE
    assert suite.token.balance_of(buyer) == 100 * TOKEN - FEE
    assert suite.agents.call("isLicensed", agent, buyer) is True


def test_a_free_agent_is_licensed_without_a_transfer(suite, players):
    suite.agents.transact(players[0], "registerAgent", "ipfs://free", 0, MODEL, [])
    receipt = suite.agents.transact(players[1], "licenseAgent", 1)
    assert suite.agents.events(receipt, "AgentLicensed")[0][1]["fee"] == 0
    assert suite.token.events(receipt) == []


def test_licensing_an_unknown_agent_is_refused(suite, players):
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(players[1], "licenseAgent", 9)
    assert exc.value.error == "AgentNotFound"
    assert exc.value.args_by_name == {"agentId": 9}


def test_a_developer_cannot_license_their_own_agent(suite, players, agent):
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(players[0], "licenseAgent", agent)
    assert exc.value.error == "SelfLicense"
    assert exc.value.args_by_name == {"agentId": agent}


def test_licensing_the_same_agent_twice_is_refused(suite, agent, licensee):
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(licensee, "licenseAgent", agent)
    assert exc.value.error == "AlreadyLicensed"
    assert exc.value.args_by_name == {"agentId": agent, "licensee": licensee}


def test_licensing_without_approving_the_fee_is_refused(suite, signers, players, agent):
    suite.token.transact(signers.deployer.address, "mint", players[2], FEE)
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(players[2], "licenseAgent", agent)
    assert exc.value.error == "ERC20InsufficientAllowance"
    assert exc.value.args_by_name == {"spender": suite.agents.address, "allowance": 0, "needed": FEE}
    assert suite.agents.call("isLicensed", agent, players[2]) is False


# -- attested invocations ----------------------------------------------------------------
def test_the_python_eip712_digest_matches_the_contract(suite, chain_tx, players):
    message = invocation(suite, chain_tx, 1, players[1], 7)
    assert message.header == suite.agents.call("domainSeparator")
    assert digest_of(message) == suite.agents.call("invocationDigest", 1, players[1], IN, OUT, 7)


def test_an_attested_invocation_by_a_licensee_is_recorded(suite, signers, chain_tx, players, agent, licensee):
    signature = attest(suite, chain_tx, signers.attester, agent, licensee, 1)
    submitter = players[3]  # anyone may submit the attestation
    receipt = suite.agents.transact(submitter, "recordInvocation", agent, licensee, IN, OUT, 1, signature)
    assert suite.agents.events(receipt) == [("AgentInvoked", {
        "agentId": agent, "caller": licensee, "inputHash": IN, "outputHash": OUT,
        "attester": signers.attester.address})]
    assert suite.agents.call("invocationCount", agent) == 1
    digest = digest_of(invocation(suite, chain_tx, agent, licensee, 1))
    assert suite.agents.call("attestationUsed", digest) is True
    assert suite.agents.call("agentInfo", agent)[3] == 1


def test_the_developer_may_invoke_their_own_agent(suite, signers, chain_tx, players, agent):
    signature = attest(suite, chain_tx, signers.attester, agent, players[0], 1)
    suite.agents.transact(players[0], "recordInvocation", agent, players[0], IN, OUT, 1, signature)
    assert suite.agents.call("invocationCount", agent) == 1


def test_an_invocation_of_an_unknown_agent_is_refused(suite, signers, chain_tx, players):
    signature = attest(suite, chain_tx, signers.attester, 5, players[1], 1)
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(players[1], "recordInvocation", 5, players[1], IN, OUT, 1, signature)
    assert exc.value.error == "AgentNotFound"
    assert exc.value.args_by_name == {"agentId": 5}


def test_an_attestation_signed_by_a_non_attester_is_refused(suite, chain_tx, agent, licensee):
    impostor = dev_account(FIRST_PLAYER_INDEX + 3)
    signature = attest(suite, chain_tx, impostor, agent, licensee, 1)
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(licensee, "recordInvocation", agent, licensee, IN, OUT, 1, signature)
    assert exc.value.error == "InvalidAttestation"
    assert exc.value.args_by_name == {"signer": impostor.address}


def test_an_attestation_for_other_content_is_refused(suite, signers, chain_tx, agent, licensee):
    other = keccak(text="other")
    signature = attest(suite, chain_tx, signers.attester, agent, licensee, 1, output_hash=other)
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(licensee, "recordInvocation", agent, licensee, IN, OUT, 1, signature)
    assert exc.value.error == "InvalidAttestation"
    assert exc.value.args_by_name["signer"] != signers.attester.address


@pytest.mark.parametrize("signature", [b"", b"\x01" * 10, b"\x00" * 65], ids=["empty", "short", "zeros"])
def test_a_malformed_signature_is_an_invalid_attestation_from_nobody(suite, agent, licensee, signature):
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(licensee, "recordInvocation", agent, licensee, IN, OUT, 1, signature)
    assert exc.value.error == "InvalidAttestation"
    assert exc.value.args_by_name == {"signer": ZERO}


def test_replaying_an_attestation_is_refused(suite, signers, chain_tx, agent, licensee):
    signature = attest(suite, chain_tx, signers.attester, agent, licensee, 1)
    suite.agents.transact(licensee, "recordInvocation", agent, licensee, IN, OUT, 1, signature)
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(licensee, "recordInvocation", agent, licensee, IN, OUT, 1, signature)
    assert exc.value.error == "AttestationReplayed"
    assert exc.value.args_by_name == {"digest": digest_of(invocation(suite, chain_tx, agent, licensee, 1))}
    # A fresh nonce makes the same call a new invocation.
    again = attest(suite, chain_tx, signers.attester, agent, licensee, 2)
    suite.agents.transact(licensee, "recordInvocation", agent, licensee, IN, OUT, 2, again)
    assert suite.agents.call("invocationCount", agent) == 2


def test_an_invocation_by_an_unlicensed_caller_is_refused(suite, signers, chain_tx, players, agent):
    stranger = players[2]
    signature = attest(suite, chain_tx, signers.attester, agent, stranger, 1)
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(stranger, "recordInvocation", agent, stranger, IN, OUT, 1, signature)
    assert exc.value.error == "NotLicensed"
    assert exc.value.args_by_name == {"agentId": agent, "caller": stranger}
    assert suite.agents.call("invocationCount", agent) == 0


def test_the_attester_role_is_admin_managed(suite, signers, players):
    role = suite.agents.call("ATTESTER_ROLE")
    with pytest.raises(ContractRevert) as exc:
        suite.agents.transact(players[0], "grantRole", role, players[0])
    assert exc.value.error == "AccessControlUnauthorizedAccount"
    assert exc.value.args_by_name == {"account": players[0], "neededRole": b"\x00" * 32}
    suite.agents.transact(signers.deployer.address, "grantRole", role, players[0])
    assert suite.agents.has_role("ATTESTER_ROLE", players[0])
