// Small DOM helpers shared by the pages: elements, toasts, busy buttons, readable errors.
import { explainError } from "./chain.js";

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function toast(message, kind = "info", timeout = 6000) {
  const box = $("#toasts");
  if (!box) return;
  const item = el("div", { class: `toast ${kind}` }, message);
  box.append(item);
  while (box.children.length > 3) box.firstElementChild.remove(); // the newest few, never a wall
  setTimeout(() => item.remove(), timeout);
}

export function say(target, message, kind = "info") {
  const node = typeof target === "string" ? $(target) : target;
  if (!node) return;
  node.textContent = message || "";
  node.className = `message ${message ? kind : ""}`.trim();
}

// Run an action from a button: disable it, show progress, then success or a readable error.
export async function act(button, out, work, { busy = "Working…" } = {}) {
  const label = button ? button.textContent : "";
  if (button) {
    button.disabled = true;
    button.setAttribute("aria-busy", "true");
    button.textContent = busy;
  }
  if (out) say(out, busy, "info");
  try {
    const result = await work((step) => out && say(out, step, "info"));
    return result;
  } catch (err) {
    const message = explainError(err);
    if (out) say(out, message, "error");
    else toast(message, "error");
    return undefined;
  } finally {
    if (button) {
      button.disabled = false;
      button.removeAttribute("aria-busy");
      if (button.textContent === busy) button.textContent = label;
    }
  }
}

export function short(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : "";
}

export function txLink(hash, text) {
  return el("a", { href: `/tx/${hash}`, class: "tx" }, text || `${hash.slice(0, 10)}…`);
}

export function rewardText(rewards) {
  const parts = [];
  for (const [region, n] of Object.entries((rewards && rewards.shards) || {})) {
    parts.push(`${n} ${region} shard${n === 1 ? "" : "s"}`);
  }
  if (rewards && rewards.sahara) parts.push(`${rewards.sahara} SAHARA`);
  if (rewards && rewards.xp) parts.push(`${rewards.xp} XP`);
  return parts.join(" · ");
}

export const statusText = (status) => String(status || "").replace(/_/g, " ");

// The page's module has attached its handlers (tests and impatient fingers wait for this).
export function ready() {
  document.body.setAttribute("data-ready", "");
}
