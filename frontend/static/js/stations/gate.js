// The Gate: the well (faucet), the gatestone (Sahara ID) and the dawn check-in.
import { get, post, waitText } from "../api.js";
import { contract, sahara, send } from "../chain.js";
import { mountRegion } from "../region.js";
import { $, act, say, txLink } from "../ui.js";
import { ready } from "../ui.js";

const region = await mountRegion("gate");
const { state } = region;

async function faucetStatus() {
  if (!state.me) return say("[data-faucet-status]", "Sign in to drink.", "info");
  const s = await get("/api/faucet");
  const wait = s.next_claim_at - Date.now() / 1000;
  $("[data-faucet-status]").textContent = s.can_claim ? `${sahara(s.amount)} SAHARA a drink, one every ${waitText(s.cooldown)}.` :
    `The well is refilling: next drink in ${waitText(wait)}.`;
}

async function idStatus() {
  if (!state.me) return;
  const id = await (await contract("SaharaID")).idOf(state.me.address);
  $("[data-id-status]").textContent = id > 0n ? `Your Sahara ID is #${id}.` : "You have no Sahara ID yet.";
  $("[data-id-mint]").disabled = id > 0n;
}

const claim = $("[data-faucet-claim]");
claim.addEventListener("click", () => act(claim, "[data-faucet-message]", async (step) => {
  await region.before(claim);
  step("Drawing water…");
  const result = await post("/api/faucet");
  const out = $("[data-faucet-message]");
  out.replaceChildren(`You drank ${sahara(result.amount)} SAHARA`,
    result.gas_sent !== "0" ? " and got a little devnet gas" : "", ". ", txLink(result.tx_hash, "See the transaction"));
  out.className = "message success";
  await faucetStatus();
}, { busy: "Drawing water…" }));

const mint = $("[data-id-mint]");
mint.addEventListener("click", () => act(mint, "[data-id-message]", async (step) => {
  const wallet = await region.before(mint);
  step("Confirm in your wallet…");
  const profile = $("[data-id-profile]").value.trim() || "a wanderer of the dunes";
  const receipt = await send(wallet, "SaharaID", "mint", [`sahara-legends://traveller/${encodeURIComponent(profile)}`]);
  const out = $("[data-id-message]");
  out.replaceChildren("Your name is carved into the gatestone. ", txLink(receipt.hash, "See the transaction"));
  out.className = "message success";
  await idStatus();
}, { busy: "Carving…" }));

const checkin = $("[data-checkin]");
checkin.addEventListener("click", () => act(checkin, "[data-checkin-message]", async () => {
  const result = await post("/api/checkin");
  say("[data-checkin-message]", result.already_checked_in ? `Already counted today · streak ${result.streak}` :
    `Counted at the well · streak ${result.streak} day${result.streak === 1 ? "" : "s"}`, "success");
  await region.reload();
}));

faucetStatus().catch((err) => say("[data-faucet-status]", err.message, "error"));
idStatus().catch(() => {});
ready();
