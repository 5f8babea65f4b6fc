// A region's page: its quests (with riddles and state checks answered in place), the pack
// of this region's shards, and acceptance of the quests an action serves before it is sent
// (only transactions after acceptance count).
import { boot, needWallet } from "./app.js";
import { ApiError, get, post } from "./api.js";
import { onLive } from "./live.js";
import { $, $$, act, el, rewardText, say, statusText } from "./ui.js";

const DONE = new Set(["completed", "rewarded"]);

export async function mountRegion(key) {
  const panel = $("[data-quest-panel]");
  const pack = $("[data-pack]");
  const out = $("[data-region-message]");
  const state = await boot();
  let quests = {};
  const questions = {};
  // What the player has typed into a riddle survives the re-render a live event causes.
  const drafts = {};

  async function ask(quest) {
    if (!questions[quest.id]) questions[quest.id] = (await get(`/api/quests/${quest.id}`)).question;
    return questions[quest.id];
  }

  function draftInput(questId, attributes) {
    const input = el("input", attributes);
    input.value = drafts[questId] || "";
    input.addEventListener("input", () => { drafts[questId] = input.value; });
    return input;
  }

  function controls(quest) {
    if (!state.me || DONE.has(quest.status) || quest.status === "locked") return null;
    if (quest.asks) {
      const form = el("form", { class: "riddle", "data-answer": quest.id });
      ask(quest).then((q) => {
        if (!q) return;
        const id = `answer-${quest.id.replace(/\W/g, "-")}`;
        form.append(el("p", { class: "question" }, q.question),
          el("label", { for: id }, "Your answer"),
          draftInput(quest.id, { id, name: "answer", required: true, maxlength: 200, list: `${id}-choices`, autocomplete: "off" }),
          el("datalist", { id: `${id}-choices` }, ...(q.choices || []).map((c) => el("option", { value: c }))),
          el("button", { type: "submit" }, "Answer"));
      }).catch(() => {});
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const text = new FormData(form).get("answer");
        act(form.querySelector("button"), out, async () => {
          const result = await post(`/api/quests/${quest.id}/answer`, { answer: text });
          delete drafts[quest.id];
          say(out, result.correct ? `Correct! ${quest.title} is complete.` :
            `Not quite — ${(result.reasons || []).join("; ") || "think again"}.`, result.correct ? "success" : "error");
          await load();
        });
      });
      return form;
    }
    if (quest.checks_state) {
      const button = el("button", { type: "button", class: "small", "data-check": quest.id }, "Check now");
      button.addEventListener("click", () => act(button, out, async () => {
        await accept([quest.id]);
        const result = await post(`/api/quests/${quest.id}/check`);
        const done = result.completed.includes(quest.id);
        say(out, done ? `${quest.title}: done!` : `Not yet: ${(result.reasons || []).join("; ")}`, done ? "success" : "info");
        await load();
      }));
      return button;
    }
    return null;
  }

  function card(quest) {
    return el("li", { class: `quest-card ${quest.status}`, "data-quest": quest.id },
      el("div", { class: "row" },
        el("a", { href: `/quests/${quest.id}`, class: "title" }, quest.title),
        el("span", { class: "badge", "data-badge": true }, statusText(quest.status))),
      el("p", { class: "reward" }, rewardText(quest.rewards)),
      quest.reason ? el("p", { class: "small muted" }, quest.reason) : null,
      controls(quest));
  }

  function render() {
    const list = Object.values(quests);
    panel.replaceChildren(...list.map(card));
    const next = list.find((q) => q.status === "in_progress") || list.find((q) => q.status === "available");
    $("[data-next]").textContent = !state.me ? "Sign in to take these quests." :
      next ? `Next: ${next.title}.` : "Nothing open here right now.";
  }

  async function fillPack() {
    if (!state.me || !pack) return;
    const inventory = await get("/api/inventory");
    const shard = inventory.shards.find((t) => t.token_id === Number(pack.dataset.shardId));
    const guardian = inventory.guardians.find((t) => t.token_id === Number(pack.dataset.guardianId));
    $("[data-shard-count]", pack).textContent = String(shard ? shard.balance : 0);
    $("[data-guardian-held]", pack).textContent = guardian && guardian.balance ? `${guardian.name} walks with you.` : "";
    pack.classList.toggle("full", Boolean(shard && shard.balance >= 5));
  }

  async function load() {
    const data = await get(`/api/quests?region=${key}`);
    quests = Object.fromEntries(data.quests.map((q) => [q.id, q]));
    render();
  }

  // Pin the available quests among ``ids`` in the journal. Optional (an action counts once a
  // quest is open, accepted or not): a race with the indexer starting it is no error.
  async function accept(ids) {
    for (const id of ids) {
      if (quests[id] && quests[id].status === "available") {
        try {
          const answer = await post(`/api/quests/${id}/accept`);
          quests[id] = { ...quests[id], ...answer.quest };
        } catch (err) {
          if (!(err instanceof ApiError && err.status === 409)) throw err;
        }
      }
    }
    render();
  }

  let pending = null;
  onLive(() => {
    clearTimeout(pending);
    pending = setTimeout(() => { load().catch(() => {}); fillPack().catch(() => {}); }, 150);
  });
  await Promise.all([load(), fillPack()]).catch((err) => say(out, err.message, "error"));

  // An action button's data-quests names the quests it serves (shown in the journal as taken
  // once the action counts); before it runs, the player needs their wallet.
  async function before() {
    return needWallet();
  }

  return { state, quests: () => quests, accept, before, reload: load, fillPack, $$ };
}
