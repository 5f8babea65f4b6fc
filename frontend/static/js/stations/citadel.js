// The Citadel: stake, request an unstake, withdraw, claim tribute; propose and vote.
import { waitText } from "../api.js";
import { contract, ethers, sahara, send, toWei } from "../chain.js";
import { mountRegion } from "../region.js";
import { $, act, el, say, txLink } from "../ui.js";
import { allow } from "./allow.js";
import { ready } from "../ui.js";

const region = await mountRegion("citadel");
const { state } = region;
const STATES = ["open for votes", "defeated", "passed", "queued", "executed"];

function done(out, text, receipt) {
  const node = $(out);
  node.replaceChildren(text, " ", txLink(receipt.hash, "See the transaction"));
  node.className = "message success";
}

async function walls() {
  if (!state.me) return;
  const staking = await contract("Staking");
  const [staked, [amount, availableAt], earned] = await Promise.all([
    staking.stakedOf(state.me.address), staking.pendingUnstake(state.me.address), staking.earned(state.me.address)]);
  $("[data-staked]").textContent = `${sahara(staked)} SAHARA`;
  const wait = Number(availableAt) - Date.now() / 1000;
  $("[data-unstaking]").textContent = amount > 0n ?
    `${sahara(amount)} SAHARA, ${wait > 0 ? `ready in ${waitText(wait)}` : "ready to withdraw"}` : "nothing";
  $("[data-earned]").textContent = `${Number(ethers.formatEther(earned)).toFixed(4)} SAHARA`;
}

function proposal(id, record, status, voted) {
  const row = el("li", { class: "proposal", "data-proposal": String(id) },
    el("span", {}, el("strong", {}, `Motion #${id}`), ` — ${STATES[Number(status)] || "unknown"} · for ${sahara(record.forVotes)}, ` +
      `against ${sahara(record.againstVotes)}`));
  if (Number(status) === 0 && state.me && !voted) {
    for (const [text, support] of [["For", 1], ["Against", 0], ["Abstain", 2]]) {
      const button = el("button", { type: "button", class: "small ghost", "data-vote": `${id}:${support}`, "data-quests": "citadel.vote citadel.speaker" }, text);
      button.addEventListener("click", () => act(button, "[data-council-message]", async () => {
        const wallet = await region.before(button);
        const receipt = await send(wallet, "Governance", "castVote", [id, support]);
        done("[data-council-message]", `Your voice is counted on motion #${id}.`, receipt);
        await council();
      }, { busy: "Voting…" }));
      row.append(button);
    }
  } else if (voted) row.append(el("span", { class: "badge" }, "voted"));
  return row;
}

async function council() {
  const governance = await contract("Governance");
  const count = Number(await governance.proposalCount());
  const rows = [];
  for (let id = count; id >= 1 && rows.length < 5; id -= 1) {
    const [record, status, voted] = await Promise.all([governance.proposals(id), governance.state(id),
      state.me ? governance.hasVoted(id, state.me.address) : false]);
    rows.push(proposal(id, record, status, voted));
  }
  $("[data-proposals]").replaceChildren(...(rows.length ? rows : [el("li", { class: "muted" }, "The council has no motion.")]));
}

const form = $("[data-stake-form]");
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const button = form.querySelector("button[type=submit]");
  act(button, "[data-stake-message]", async (step) => {
    const wallet = await region.before(button);
    const amount = toWei(form.amount.value);
    await allow(wallet, "Staking", amount, step);
    step("Confirm the stake in your wallet…");
    const receipt = await send(wallet, "Staking", "stake", [amount]);
    done("[data-stake-message]", `${sahara(amount)} SAHARA laid into the walls.`, receipt);
    await walls();
  }, { busy: "Staking…" });
});

function simple(selector, method, args, text, busy) {
  const button = $(selector);
  button.addEventListener("click", () => act(button, "[data-stake-message]", async () => {
    const wallet = await region.before(button);
    const receipt = await send(wallet, "Staking", method, args());
    done("[data-stake-message]", text, receipt);
    await walls();
  }, { busy }));
}
simple("[data-unstake]", "requestUnstake", () => [toWei(form.amount.value)], "Unstake requested: the cooldown has begun.", "Requesting…");
simple("[data-stake-withdraw]", "withdraw", () => [], "Your stone is pulled from the wall.", "Withdrawing…");
simple("[data-claim-rewards]", "claimRewards", () => [], "The walls' tribute is yours.", "Claiming…");

// The id the council gave a motion, read from the receipt's ProposalCreated log.
async function motionOf(receipt) {
  const governance = await contract("Governance");
  for (const log of receipt.logs || []) {
    try {
      const parsed = governance.interface.parseLog(log);
      if (parsed && parsed.name === "ProposalCreated") return String(parsed.args[0]);
    } catch { /* another contract's log */ }
  }
  return null;
}

const propose = $("[data-propose-form]");
propose.addEventListener("submit", (event) => {
  event.preventDefault();
  const button = propose.querySelector("button");
  act(button, "[data-council-message]", async () => {
    const wallet = await region.before(button);
    const receipt = await send(wallet, "Governance", "propose", [propose.description.value, ethers.ZeroAddress, "0x"]);
    const id = await motionOf(receipt);
    done("[data-council-message]", id ? `Your motion #${id} is before the council.` :
      "Your motion is before the council.", receipt);
    await council();
  }, { busy: "Proposing…" });
});

walls().catch((err) => say("[data-stake-message]", err.message, "error"));
council().catch((err) => say("[data-council-message]", err.message, "error"));
setInterval(() => { walls().catch(() => {}); council().catch(() => {}); }, 8000);
ready();
