// The Bazaar: the stalls (buy, delist), your carpet (list), the strongbox (withdraw), and
// the split every sale follows.
import { contract, sahara, send, toWei } from "../chain.js";
import { mountRegion } from "../region.js";
import { $, act, el, say, short, txLink } from "../ui.js";
import { allow } from "./allow.js";
import { ready } from "../ui.js";

const region = await mountRegion("bazaar");
const { state } = region;
const KINDS = ["Dataset", "Model", "Agent"];

function done(out, text, receipt) {
  const node = $(out);
  node.replaceChildren(text, " ", txLink(receipt.hash, "See the transaction"));
  node.className = "message success";
}

async function split() {
  const market = await contract("AIMarketplace");
  const [dev, contributors, validators] = await Promise.all([market.developerBps(), market.contributorsBps(), market.validatorsBps()]);
  $("[data-split]").textContent = `Every sale splits: ${Number(dev) / 100}% to the seller, ${Number(contributors) / 100}% to the ` +
    `data contributors (the seller's for models and agents), ${Number(validators) / 100}% to the validators.`;
}

function stall(id, [seller, kind, , assetRef, price, uri]) {
  const mine = state.me && seller.toLowerCase() === state.me.address.toLowerCase();
  const button = mine ?
    el("button", { type: "button", class: "small ghost", "data-delist": String(id) }, "Delist") :
    el("button", { type: "button", class: "small", "data-buy": String(id), "data-quests": "bazaar.first-purchase" },
      `Buy for ${sahara(price)} SAHARA`);
  button.addEventListener("click", () => act(button, "[data-buy-message]", async (step) => {
    const wallet = await region.before(button);
    if (mine) {
      const receipt = await send(wallet, "AIMarketplace", "delist", [id]);
      done("[data-buy-message]", `Listing #${id} rolled up.`, receipt);
    } else {
      await allow(wallet, "AIMarketplace", price, step);
      step("Confirm the purchase in your wallet…");
      const receipt = await send(wallet, "AIMarketplace", "buy", [id]);
      done("[data-buy-message]", `You bought listing #${id}: the coins are split as the ledger says.`, receipt);
    }
    await Promise.all([stalls(), strongbox()]);
  }, { busy: mine ? "Delisting…" : "Buying…" }));
  return el("li", { class: "listing", "data-listing": String(id) },
    el("span", {}, el("strong", {}, `${KINDS[Number(kind)]} #${assetRef}`), ` — ${uri || "no description"} · `,
      el("span", { class: "small" }, mine ? "your stall" : `sold by ${short(seller)}`)), button);
}

async function stalls() {
  const market = await contract("AIMarketplace");
  const count = Number(await market.listingCount());
  const rows = [];
  for (let id = count; id >= 1 && rows.length < 12; id -= 1) {
    const listing = await market.listings(id);
    if (listing[2]) rows.push(stall(id, listing));
  }
  $("[data-listings]").replaceChildren(...(rows.length ? rows : [el("li", { class: "muted" }, "The stalls are empty.")]));
}

async function strongbox() {
  if (!state.me) return;
  const market = await contract("AIMarketplace");
  $("[data-pending]").textContent = sahara(await market.pendingRevenue(state.me.address));
}

const form = $("[data-list-form]");
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  act(button, "[data-list-message]", async (step) => {
    const wallet = await region.before(button);
    step("Confirm the listing in your wallet…");
    const receipt = await send(wallet, "AIMarketplace", "list",
      [Number(form.kind.value), BigInt(form.ref.value || 0), toWei(form.price.value), form.uri.value]);
    done("[data-list-message]", "Your carpet is spread among the stalls.", receipt);
    await stalls();
  }, { busy: "Listing…" });
});

const withdraw = $("[data-withdraw]");
withdraw.addEventListener("click", () => act(withdraw, "[data-withdraw-message]", async () => {
  const wallet = await region.before(withdraw);
  const receipt = await send(wallet, "AIMarketplace", "withdraw", []);
  done("[data-withdraw-message]", "The strongbox is emptied into your wallet.", receipt);
  await strongbox();
}, { busy: "Counting coins…" }));

split().catch(() => {});
stalls().catch((err) => say("[data-buy-message]", err.message, "error"));
strongbox().catch(() => {});
setInterval(() => strongbox().catch(() => {}), 8000);
ready();
