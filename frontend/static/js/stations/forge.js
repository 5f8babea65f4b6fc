// The Agent Forge: define and register an agent, licence the Oracle of the Dunes, and
// invoke an agent through the attested path (the app signs, the player's wallet records).
import { get, post } from "../api.js";
import { contract, ethers, sahara, send, toWei } from "../chain.js";
import { mountRegion } from "../region.js";
import { $, act, el, say, txLink } from "../ui.js";
import { allow } from "./allow.js";
import { ready } from "../ui.js";

const region = await mountRegion("forge");
const { state } = region;
let oracle = null;

function done(out, text, receipt) {
  const node = $(out);
  node.replaceChildren(text, " ", txLink(receipt.hash, "See the transaction"));
  node.className = "message success";
}

async function agents() {
  const select = $("[data-invoke-agents]");
  const choices = [];
  if (state.me) {
    const registry = await contract("AgentRegistry");
    for (const log of await registry.queryFilter(registry.filters.AgentRegistered(null, state.me.address), 0)) {
      choices.push([String(log.args.agentId), `Agent #${log.args.agentId} (yours)`]);
    }
    if (oracle && (await registry.isLicensed(oracle.agent_id, state.me.address))) {
      choices.push([String(oracle.agent_id), `The Oracle of the Dunes (#${oracle.agent_id}, licensed)`]);
    }
  }
  select.replaceChildren(...(choices.length ? choices : [["", "Register or licence an agent first"]])
    .map(([value, text]) => el("option", { value }, text)));
}

async function oracleCard() {
  oracle = (await get("/api/world/npcs")).oracle;
  const box = $("[data-oracle]");
  if (!oracle) return box.replaceChildren(el("p", { class: "muted" }, "The Oracle has not come to the Forge yet."));
  const registry = await contract("AgentRegistry");
  const licensed = state.me ? await registry.isLicensed(oracle.agent_id, state.me.address) : false;
  const button = el("button", { type: "button", "data-license": String(oracle.agent_id), "data-quests": "forge.license",
    disabled: licensed }, licensed ? "Licensed" : `Licence it for ${sahara(oracle.license_fee)} SAHARA`);
  button.addEventListener("click", () => act(button, "[data-license-message]", async (step) => {
    const wallet = await region.before(button);
    await allow(wallet, "AgentRegistry", BigInt(oracle.license_fee), step);
    step("Confirm the licence in your wallet…");
    const receipt = await send(wallet, "AgentRegistry", "licenseAgent", [oracle.agent_id]);
    done("[data-license-message]", "You hold a licence for the Oracle of the Dunes.", receipt);
    await oracleCard();
  }, { busy: "Licensing…" }));
  box.replaceChildren(el("p", {}, `The Oracle of the Dunes (agent #${oracle.agent_id}), built by the Bazaar merchant.`), button);
  await agents();
}

const form = $("[data-agent-form]");
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  act(button, "[data-agent-message]", async (step) => {
    const wallet = await region.before(button);
    const about = { name: form.name.value, model: form.model.value, description: form.about.value };
    const uri = `data:application/json,${encodeURIComponent(JSON.stringify(about))}`;
    step("Confirm in your wallet…");
    const receipt = await send(wallet, "AgentRegistry", "registerAgent",
      [uri, toWei(form.fee.value), ethers.keccak256(ethers.toUtf8Bytes(form.model.value)), []]);
    const registry = await contract("AgentRegistry");
    const log = receipt.logs.map((l) => { try { return registry.interface.parseLog(l); } catch { return null; } })
      .find((l) => l && l.name === "AgentRegistered");
    done("[data-agent-message]", `${about.name} breathes: agent #${log ? log.args.agentId : "?"}.`, receipt);
    await agents();
  }, { busy: "Forging…" });
});

const invoke = $("[data-invoke-form]");
invoke.addEventListener("submit", (event) => {
  event.preventDefault();
  const button = invoke.querySelector("button");
  act(button, "[data-invoke-message]", async (step) => {
    const wallet = await region.before(button);
    const agent = invoke.agent.value;
    if (!agent) throw new Error("choose an agent you built or licensed");
    step("The agent is thinking; the attester seals its answer…");
    const answer = await post(`/api/agents/${agent}/invoke`, { input: invoke.input.value });
    const box = $("[data-invoke-answer]");
    box.hidden = false;
    box.textContent = answer.output;
    step("Record the attested invocation from your wallet…");
    const receipt = await wallet.sendTransaction({ to: answer.tx.to, data: answer.tx.data, value: 0n });
    done("[data-invoke-message]", "The invocation is sealed on chain.", receipt);
  }, { busy: "Invoking…" });
});

oracleCard().catch((err) => say("[data-license-message]", err.message, "error"));
ready();
