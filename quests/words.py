"""The game's plain words for the suite's events and errors: what a player reads in "why not
yet" and in a transaction's explanation ("your faucet claim", not ``SaharaToken.FaucetClaimed``).

Pure data and phrasing; the explanations in ``quests.explain`` and ``quests.receipts`` use it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Deed:
    """One kind of on-chain action in the player's words: ``noun`` names one of them ("faucet
    claim"), ``plural`` several, ``step`` is what to do next to make one."""

    noun: str
    step: str
    plural: str = ""

    def count(self, n: int) -> str:
        """``"no faucet claim"``, ``"1 faucet claim"``, ``"2 faucet claims"``."""
        if n == 0:
            return f"no {self.noun}"
        return f"1 {self.noun}" if n == 1 else f"{n} {self.plural or self.noun + 's'}"


DEEDS: dict[tuple[str, str], Deed] = {
    ("SaharaToken", "FaucetClaimed"): Deed("faucet claim", "claim SAHARA from the faucet at the Gate"),
    ("SaharaToken", "Transfer"): Deed("SAHARA transfer", "send SAHARA to another traveller"),
    ("SaharaID", "IdentityMinted"): Deed("Sahara ID", "mint your Sahara ID at the Gate", "Sahara IDs"),
    ("DataServices", "LabelSubmitted"): Deed(
        "label", "submit a label to an open Oasis task (the caravan's task takes anyone's)"),
    ("DataServices", "LabelAccepted"): Deed(
        "accepted label", "submit honest labels to the caravan's task; its reviewer nods within seconds"),
    ("DataServices", "TaskPosted"): Deed("labeling task", "post a labeling task of your own with a budget"),
    ("DataServices", "DatasetCreated"): Deed(
        "dataset", "accept a label on your own task, then create a dataset from that task"),
    ("AgentRegistry", "AgentRegistered"): Deed("agent", "register an agent in the Forge"),
    ("AgentRegistry", "AgentInvoked"): Deed(
        "attested invocation", "invoke an agent you built or licensed and record the attested call"),
    ("AgentRegistry", "AgentLicensed"): Deed(
        "agent licence", "license an agent (the Oracle of the Dunes is for hire)"),
    ("AIMarketplace", "Listed"): Deed("listing", "list a model, a dataset or your agent in the Bazaar"),
    ("AIMarketplace", "Sale"): Deed("sale", "buy from a merchant, or list something travellers will buy"),
    ("AIMarketplace", "RevenueWithdrawn"): Deed(
        "revenue withdrawal", "withdraw the revenue your listings earned in the Bazaar"),
    ("Staking", "Staked"): Deed("stake", "stake SAHARA in the Citadel"),
    ("Staking", "Unstaked"): Deed(
        "withdrawal of unstaked SAHARA", "request an unstake, wait out the cooldown, then withdraw",
        "withdrawals of unstaked SAHARA"),
    ("Staking", "RewardsClaimed"): Deed("staking reward claim", "claim the rewards your stake earned"),
    ("Governance", "VoteCast"): Deed("vote", "vote on an open council motion"),
    ("Governance", "ProposalCreated"): Deed("proposal", "make a proposal to the council"),
    ("LegendShards", "GuardianCrafted"): Deed(
        "Guardian", "craft the Guardian from five of the region's shards"),
    ("LegendRelic", "LegendForged"): Deed("Legend", "forge the Legend from the five Guardians"),
}

CONTRACTS: dict[str, str] = {
    "SaharaToken": "the SAHARA token", "SaharaID": "the Sahara ID registry",
    "DataServices": "the Data Oasis", "AgentRegistry": "the Agent Forge",
    "AIMarketplace": "the Bazaar", "Staking": "the Citadel's staking walls",
    "Governance": "the council", "LegendShards": "the shard altar", "LegendRelic": "the Legend relic",
}


def deed(contract: str, event: str) -> Deed:
    """The plain words for ``contract.event`` (a readable fallback for an unknown one)."""
    found = DEEDS.get((contract, event))
    if found is not None:
        return found
    where = CONTRACTS.get(contract, contract)
    return Deed(f"{event} in {where}", f"make a {event} happen in {where}", f"{event} events in {where}")


def contract_name(contract: str) -> str:
    return CONTRACTS.get(contract, contract)
