// A token's page: how many of it the signed-in player holds.
import { boot } from "./app.js";
import { get } from "./api.js";
import { $ } from "./ui.js";
import { ready } from "./ui.js";

const state = await boot();
const line = $("[data-owned]");
if (state.me && line) {
  const id = Number(line.dataset.tokenId);
  const inventory = await get("/api/inventory").catch(() => null);
  const all = inventory ? [...inventory.shards, ...inventory.guardians, inventory.legend] : [];
  const held = all.find((t) => t.token_id === id);
  line.textContent = held ? `You hold ${held.balance}.` : "";
}
ready();
