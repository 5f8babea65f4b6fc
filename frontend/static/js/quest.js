// One quest: story, objectives with progress, why it is not done yet, the evidence (tx
// links), rewards, and what to do — accept, answer, check, or go to its station.
import { boot } from "./app.js";
import { get, post } from "./api.js";
import { onLive } from "./live.js";
import { $, act, el, rewardText, say, statusText, txLink } from "./ui.js";
import { ready } from "./ui.js";

const box = $("[data-quest-detail]");
const id = box.dataset.questDetail;
const state = await boot();

function objectives(detail, why) {
  const parts = (why && why.objectives) || detail.objectives;
  return el("ul", { class: "objectives" }, ...parts.map((o) => el("li", { class: o.met ? "met" : "" },
    o.title || o.type, o.reason ? el("span", { class: "small muted" }, ` — ${o.reason}`) : null)));
}

function evidence(why) {
  const seen = (why && why.evidence_seen) || [];
  if (!seen.length) return null;
  return el("section", {}, el("h2", {}, "Evidence on chain"),
    el("ul", { class: "objectives" }, ...seen.map((e) => el("li", { class: e.verdict === "counted" ? "met" : "" },
      `${e.contract}.${e.event} in block ${e.block_number} — ${e.verdict}${e.why ? ` (${e.why})` : ""} · `,
      txLink(e.tx_hash)))));
}

function actions(detail, out) {
  const row = el("div", { class: "actions" });
  if (!state.me) return el("p", {}, el("a", { href: "/#connect" }, "Sign in"), " to take this quest.");
  if (detail.status === "available") {
    const button = el("button", { type: "button" }, "Accept the quest");
    button.addEventListener("click", () => act(button, out, async () => {
      await post(`/api/quests/${id}/accept`);
      await load();
    }));
    row.append(button);
  }
  if (detail.question && !["completed", "rewarded", "locked"].includes(detail.status)) {
    const form = el("form", { class: "riddle" }, el("p", { class: "question" }, detail.question.question),
      el("label", { for: "answer" }, "Your answer"), el("input", { id: "answer", name: "answer", required: true, maxlength: 200 }),
      el("button", { type: "submit" }, "Answer"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      act(form.querySelector("button"), out, async () => {
        const result = await post(`/api/quests/${id}/answer`, { answer: form.answer.value });
        say(out, result.correct ? "Correct!" : `Not quite: ${(result.reasons || []).join("; ")}`, result.correct ? "success" : "error");
        await load();
      });
    });
    row.append(form);
  }
  if (detail.checks_state && detail.status === "in_progress") {
    const button = el("button", { type: "button", class: "ghost" }, "Check my on-chain state");
    button.addEventListener("click", () => act(button, out, async () => {
      await post(`/api/quests/${id}/check`);
      await load();
    }));
    row.append(button);
  }
  if (detail.on_chain) row.append(explainForm());
  row.append(el("p", {}, el("a", { class: "button ghost", href: `/regions/${detail.region}` }, "Go to its station")));
  return row;
}

// "Why did my transaction not count?" — the app reads it and says, in words.
function explainForm() {
  const answer = el("div", { class: "answer", "data-explained": true, hidden: true });
  const form = el("form", { class: "explain" },
    el("label", { for: "explain-tx" }, "Why did my transaction not count? Paste its hash"),
    el("input", { id: "explain-tx", name: "tx", required: true, pattern: "0x[0-9a-fA-F]{64}", autocomplete: "off",
      placeholder: "0x…" }),
    el("button", { type: "submit", class: "ghost" }, "Explain"), answer);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    act(form.querySelector("button"), null, async () => {
      const found = await post(`/api/quests/${id}/explain`, { tx: form.tx.value.trim() });
      answer.hidden = false;
      answer.replaceChildren(el("p", {}, found.explanation), el("p", { class: "small" }, `Next: ${found.next}`),
        ...found.events.map((e) => el("p", { class: "small" }, `${e.what} — ${e.verdict.replace(/_/g, " ")}`)));
    }).catch(() => {});
  });
  return form;
}

async function load() {
  const detail = await get(`/api/quests/${id}`);
  const why = state.me ? await get(`/api/quests/${id}/why`).catch(() => null) : null;
  const out = el("p", { class: "message", role: "status" });
  document.title = `${detail.title} · Sahara Legends`;
  box.replaceChildren(...[
    el("p", { class: "crumb" }, el("a", { href: "/quests" }, "Quest log"), " › ", el("a", { href: `/regions/${detail.region}` }, detail.region)),
    el("h1", {}, detail.title, " ", el("span", { class: `badge ${detail.status}`, "data-status": detail.status }, statusText(detail.status))),
    el("p", { class: "story" }, detail.story),
    el("p", { class: "reward" }, `Rewards: ${rewardText(detail.rewards)}`),
    el("h2", {}, "Objectives"), objectives(detail, why),
    detail.reason ? el("p", { class: "message info" }, `Why not yet: ${detail.reason}`) : null,
    why && why.hints && why.hints.length ? el("section", {}, el("h2", {}, "Why not yet"),
      el("ul", {}, ...why.hints.map((h) => el("li", {}, h)))) : null,
    evidence(why),
    detail.completed_at ? el("p", { class: "small" }, `Completed ${new Date(detail.completed_at).toLocaleString()}`,
      detail.rewarded_at ? ` · rewarded ${new Date(detail.rewarded_at).toLocaleString()}` : " · reward on its way") : null,
    actions(detail, out), out].filter(Boolean));
  box.classList.toggle("done", ["completed", "rewarded"].includes(detail.status));
}

onLive(() => load().catch(() => {}));
load().catch((err) => box.replaceChildren(el("p", { class: "message error" }, err.message)));
ready();
