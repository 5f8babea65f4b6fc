// The quest log: every quest by region, filtered by status, updated live.
import { boot } from "./app.js";
import { get } from "./api.js";
import { onLive } from "./live.js";
import { $, $$, el, rewardText, say, statusText } from "./ui.js";
import { ready } from "./ui.js";

const NAMES = { gate: "The Gate", oasis: "The Data Oasis", forge: "The Agent Forge", bazaar: "The Bazaar", citadel: "The Citadel" };
let filter = "all";
let quests = [];

const shown = (q) => filter === "all" || q.status === filter ||
  (filter === "done" && (q.status === "completed" || q.status === "rewarded"));

function render() {
  const box = $("[data-log]");
  const groups = {};
  for (const q of quests.filter(shown)) (groups[q.region] ||= []).push(q);
  box.replaceChildren(...Object.entries(groups).map(([region, list]) => el("section", { class: "region" },
    el("h2", {}, el("a", { href: `/regions/${region}` }, NAMES[region] || region)),
    el("ul", { class: "quests" }, ...list.map((q) => el("li", { class: `quest ${q.status}`, "data-quest": q.id },
      el("span", {}, el("a", { href: `/quests/${q.id}`, class: "title" }, q.title),
        el("br"), el("span", { class: "reward" }, rewardText(q.rewards))),
      el("span", { class: "badge" }, statusText(q.status))))))));
  if (!box.children.length) box.append(el("p", { class: "muted" }, "No quests here."));
}

async function load() {
  const data = await get("/api/quests");
  quests = data.quests;
  if (!data.signed_in) say("[data-log-message]", "Sign in to take quests: every quest is locked until then.", "info");
  render();
}

$$("[data-filter]").forEach((button) => button.addEventListener("click", () => {
  filter = button.dataset.filter;
  $$("[data-filter]").forEach((b) => {
    b.setAttribute("aria-pressed", String(b === button));
    b.classList.toggle("ghost", b !== button);
  });
  render();
}));

await boot();
onLive(() => load().catch(() => {}));
load().catch((err) => say("[data-log-message]", err.message, "error"));
ready();
