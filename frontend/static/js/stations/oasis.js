// The Data Oasis: label the caravan's items, post a task, review labels on your own task,
// and bottle its accepted labels into a dataset.
import { get } from "../api.js";
import { contract, ethers, sahara, send, toWei } from "../chain.js";
import { mountRegion } from "../region.js";
import { $, act, el, say, txLink } from "../ui.js";
import { allow } from "./allow.js";
import { ready } from "../ui.js";

const region = await mountRegion("oasis");
const { state } = region;
const STATUS = ["waiting for review", "accepted", "rejected"];
let caravan = null;

function done(out, text, receipt) {
  const node = $(out);
  node.replaceChildren(text, " ", txLink(receipt.hash, "See the transaction"));
  node.className = "message success";
}

function itemCard(item, button) {
  const name = `label-${item.id}`;
  return el("li", { class: `label-item ${item.kind === "text" ? "text-item" : ""}`, "data-item": item.id },
    item.kind === "image" ? el("img", { src: item.src, alt: "An item to label" }) :
      el("p", { class: "text" }, `“${item.text}”`),
    el("fieldset", { class: "plain" }, el("legend", {}, item.prompt),
      el("div", { class: "choices-row" }, ...item.labels.map((label, i) => el("label", { class: "choice-pill" },
        el("input", { type: "radio", name, value: label, checked: i === 0 }), ` ${label}`))),
      button));
}

async function labelItems() {
  const [catalog, npcs] = await Promise.all([fetch("/static/oasis/items.json").then((r) => r.json()), get("/api/world/npcs")]);
  caravan = npcs.caravan;
  $("[data-caravan-reward]").textContent = caravan ? sahara(caravan.reward_per_label) : "–";
  const list = $("[data-label-items]");
  list.replaceChildren(...catalog.items.map((item) => {
    const button = el("button", { type: "button", class: "small", "data-label": item.id,
      "data-quests": "oasis.first-labels oasis.label-accepted oasis.weekly-harvest" }, "Submit label");
    const card = itemCard(item, button);
    button.addEventListener("click", () => act(button, "[data-label-message]", async (step) => {
      if (!caravan) throw new Error("the caravan has not arrived yet");
      const wallet = await region.before(button);
      const label = card.querySelector("input:checked").value;
      const hash = ethers.keccak256(ethers.toUtf8Bytes(`${item.id}|${label}|${wallet.address.toLowerCase()}`));
      step("Confirm in your wallet…");
      const receipt = await send(wallet, "DataServices", "submitLabel", [caravan.task_id, hash]);
      card.classList.add("sent");
      done("[data-label-message]", `Label “${label}” handed to the caravan; a reviewer will weigh it.`, receipt);
    }, { busy: "Sending…" }));
    return card;
  }));
}

async function myTasks() {
  if (!state.me) return;
  const data = await contract("DataServices");
  const posted = await data.queryFilter(data.filters.TaskPosted(null, state.me.address), 0);
  const box = $("[data-my-tasks]");
  if (!posted.length) return box.replaceChildren(el("p", { class: "muted" }, "You have posted no task yet."));
  const tasks = [];
  for (const log of posted) {
    const id = log.args.taskId;
    const [, open, , remaining, labelCount, accepted] = await data.tasks(id);
    const labels = await data.queryFilter(data.filters.LabelSubmitted(null, id), 0);
    const rows = [];
    for (const l of labels) {
      const [, labeler, status] = await data.labels(l.args.labelId);
      const row = el("li", { class: "task", "data-label-id": String(l.args.labelId) },
        el("span", {}, `Label #${l.args.labelId} by ${labeler.slice(0, 8)}… — ${STATUS[Number(status)]}`));
      if (Number(status) === 0) {
        for (const [text, verdict] of [["Accept", true], ["Reject", false]]) {
          const button = el("button", { type: "button", class: "small ghost", "data-review": verdict ? "accept" : "reject" }, text);
          button.addEventListener("click", () => act(button, "[data-mine-message]", async () => {
            const wallet = await region.before(button);
            const receipt = await send(wallet, "DataServices", "reviewLabel", [l.args.labelId, verdict]);
            done("[data-mine-message]", `Label #${l.args.labelId} ${verdict ? "accepted" : "rejected"}.`, receipt);
            await myTasks();
          }, { busy: "Reviewing…" }));
          row.append(button);
        }
      }
      rows.push(row);
    }
    const bottle = el("button", { type: "button", class: "small", "data-dataset": String(id), "data-quests": "oasis.dataset" },
      "Create a dataset");
    bottle.addEventListener("click", () => act(bottle, "[data-mine-message]", async () => {
      const wallet = await region.before(bottle);
      const receipt = await send(wallet, "DataServices", "createDataset", [id, `sahara-legends://dataset/task-${id}`]);
      done("[data-mine-message]", `The labels of task #${id} are bottled into a dataset.`, receipt);
    }, { busy: "Bottling…" }));
    tasks.push(el("section", { class: "panel", "data-task": String(id) },
      el("h3", {}, `Task #${id} ${open ? "" : "(closed)"}`),
      el("p", { class: "small" }, `${labelCount} labels, ${accepted} accepted · ${sahara(remaining)} SAHARA left in the budget`),
      el("ul", { class: "tasks" }, ...rows), bottle));
  }
  box.replaceChildren(...tasks);
}

const form = $("[data-post-task]");
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const button = form.querySelector("button");
  act(button, "[data-post-message]", async (step) => {
    const wallet = await region.before(button);
    const reward = toWei(form.reward.value);
    const budget = toWei(form.budget.value);
    await allow(wallet, "DataServices", budget, step);
    step("Confirm the task in your wallet…");
    const receipt = await send(wallet, "DataServices", "postTask", [`sahara-legends://task/${encodeURIComponent(form.spec.value)}`, reward, budget]);
    done("[data-post-message]", "Your task is posted at the well.", receipt);
    await myTasks();
  }, { busy: "Posting…" });
});

labelItems().catch((err) => say("[data-label-message]", err.message, "error"));
myTasks().catch((err) => say("[data-mine-message]", err.message, "error"));
setInterval(() => myTasks().catch(() => {}), 8000);
ready();
