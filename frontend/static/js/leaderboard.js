// Leaderboards: this week or all time, by XP or shards, with the player's own rank.
import { boot } from "./app.js";
import { get } from "./api.js";
import { onLive } from "./live.js";
import { $, $$, el, short } from "./ui.js";
import { ready } from "./ui.js";

let board = "xp";
let period = "week";
const state = await boot();

async function load() {
  const data = await get(`/api/leaderboard?board=${board}&period=${period}&limit=50`);
  const mine = data.me && data.me.address.toLowerCase();
  $("[data-rows]").replaceChildren(...data.entries.map((e) => el("tr", { class: e.address.toLowerCase() === mine ? "me" : "" },
    el("td", {}, `#${e.rank}`), el("td", { class: "mono" }, short(e.address)), el("td", {}, String(e.score)))));
  if (!data.entries.length) $("[data-rows]").append(el("tr", {}, el("td", { colspan: 3 }, "Nobody yet — be the first.")));
  $("[data-caption]").textContent = `${board === "xp" ? "XP" : "Shards"} · ${period === "week" ? `week ${data.week}` : "all time"}`;
  $("[data-my-rank]").textContent = !state.me ? "Sign in to see your rank." :
    data.me.rank ? `You are #${data.me.rank} with ${data.me.score}.` : "You are not on this board yet.";
}

function tabs(attr, set) {
  $$(`[data-${attr}]`).forEach((button) => button.addEventListener("click", () => {
    set(button.dataset[attr]);
    $$(`[data-${attr}]`).forEach((b) => { b.setAttribute("aria-pressed", String(b === button)); b.classList.toggle("ghost", b !== button); });
    load().catch(() => {});
  }));
}
tabs("board", (v) => { board = v; });
tabs("period", (v) => { period = v; });
onLive((event) => { if (event.type === "leaderboard.changed" || event.type === "quest.completed") load().catch(() => {}); });
load().catch(() => {});
ready();
