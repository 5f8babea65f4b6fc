// The pack: shards, Guardians and the Legend with their art, and the altar where the
// recipes show what is burnt and what is made; crafting sends the tx the app prepared.
import { boot, needWallet } from "./app.js";
import { get } from "./api.js";
import { sahara } from "./chain.js";
import { onLive } from "./live.js";
import { $, act, el, say, txLink } from "./ui.js";
import { ready } from "./ui.js";

const state = await boot();
const out = $("[data-craft-message]");

const token = (t) => el("li", { class: `token ${t.balance ? "" : "none"}`, "data-token": t.token_id },
  el("a", { href: `/tokens/${t.token_id}` }, el("img", { src: `/art/${t.token_id}.svg`, alt: "", width: 128, height: 128 })),
  el("p", {}, el("a", { href: `/tokens/${t.token_id}` }, t.name)),
  el("p", { class: "n", "data-balance": t.balance }, `× ${t.balance}`));

function recipe(item) {
  const burns = item.missing.length ? `Still missing: ${item.missing.map((m) => m.text).join("; ")}` : item.reason || "";
  const button = el("button", { type: "button", "data-craft": item.makes, disabled: !item.can_craft },
    item.makes === 1000 ? "Forge the Legend" : `Craft ${item.name}`);
  button.addEventListener("click", () => act(button, out, async (step) => {
    const wallet = needWallet();
    step("Confirm in your wallet…");
    const tx = item.transaction;
    const receipt = await wallet.sendTransaction({ to: tx.to, data: tx.data, value: 0n });
    out.replaceChildren(`${item.name} answers your call! `, txLink(receipt.hash, "See the transaction"));
    out.className = "message success";
    await load();
  }, { busy: "Crafting…" }));
  return el("li", { class: `recipe ${item.can_craft ? "can" : ""}`, "data-recipe": item.key },
    el("img", { src: `/art/${item.makes}.svg`, alt: "" }),
    el("div", {}, el("strong", {}, item.name),
      el("p", { class: "small" }, item.can_craft ? `Ready: the altar burns ${item.makes === 1000 ? "one of each Guardian" : "5 shards of the region"} and makes ${item.name}.` : burns)),
    button);
}

async function load() {
  if (!state.me) {
    say("[data-inventory-message]", "Sign in to see your pack.", "info");
    return;
  }
  const [inventory, crafting] = await Promise.all([get("/api/inventory"), get("/api/crafting")]);
  $("[data-sahara]").textContent = sahara(inventory.sahara.wei);
  $("[data-xp]").textContent = String(inventory.xp);
  $("[data-pending-grants]").textContent = inventory.pending.length ?
    `${inventory.pending.length} reward${inventory.pending.length === 1 ? "" : "s"} on the way to your wallet.` : "";
  $("[data-shards]").replaceChildren(...inventory.shards.map(token));
  $("[data-guardians]").replaceChildren(...inventory.guardians.map(token), token(inventory.legend));
  $("[data-recipes]").replaceChildren(...crafting.recipes.map(recipe));
}

let pending = null;
onLive(() => { clearTimeout(pending); pending = setTimeout(() => load().catch(() => {}), 200); });
load().catch((err) => say("[data-inventory-message]", err.message, "error"));
ready();
