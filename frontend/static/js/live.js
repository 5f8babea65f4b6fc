// Live progress: Socket.IO events {type, offset, epoch, at, ...} per stream (the player's and
// the public one). Reconnects send the last offsets so the server replays what was missed;
// duplicates are dropped by offset. Without a socket the quest log and the inventory are
// polled every few seconds instead, so a page never needs a reload.
import { io } from "../vendor/socket.io.esm.min.js";
import { get } from "./api.js";

const TYPES = ["quest.available", "quest.progress", "quest.completed", "quest.withdrawn", "reward.minted",
  "craft.done", "faucet.claimed", "leaderboard.changed", "announcement"];
const STORE = "legends.live.streams";
const POLL_MS = 3000;
const listeners = new Set();
let streams = {};
let socket = null;
let pollTimer = null;
let snapshot = null;
let signedIn = false;
let player = null; // the signed-in address: its stream is resumed on reconnect

try { streams = JSON.parse(sessionStorage.getItem(STORE) || "{}"); } catch { streams = {}; }

export function onLive(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function emit(event) {
  for (const listener of listeners) {
    try { listener(event); } catch (err) { console.error(err); }
  }
}

function save() {
  sessionStorage.setItem(STORE, JSON.stringify(streams));
}

const isPublic = (stream) => stream === "public";

function authPayload() {
  const payload = {};
  const mine = player && `player:${player.toLowerCase()}`;
  for (const [stream, at] of Object.entries(streams)) {
    if (isPublic(stream)) Object.assign(payload, { public_offset: at.offset, public_epoch: at.epoch });
    else if (mine && stream.toLowerCase() === mine) Object.assign(payload, { offset: at.offset, epoch: at.epoch });
  }
  if (!player) payload.public = true;
  return payload;
}

// Live events name their stream by epoch (each stream has its own); replays name it outright.
const epochs = {};

function streamOf(event) {
  return event.stream || epochs[event.epoch] || (event.type === "announcement" ? "public" : "player");
}

function remember(stream, offset, epoch) {
  streams[stream] = { offset: Number(offset), epoch };
  epochs[epoch] = stream;
  save();
}

// Keep an event once: a replayed one and its live twin share an offset.
function accept(event) {
  const stream = streamOf(event);
  const known = streams[stream];
  if (known && known.epoch === event.epoch && Number(event.offset) <= Number(known.offset)) return;
  if (known && known.epoch === event.epoch && Number(event.offset) > Number(known.offset) + 1 && socket) {
    socket.emit("catch_up", { stream, offset: known.offset, epoch: known.epoch }, (answer) => {
      for (const missed of (answer && answer.events) || []) accept({ ...missed, stream });
    });
  }
  remember(stream, event.offset, event.epoch);
  emit({ ...(event.payload || {}), ...event, stream });
}

function connect() {
  socket = io("/", { auth: (cb) => cb(authPayload()), reconnectionDelayMax: 5000, timeout: 5000 });
  let ready = false;
  socket.on("ready", (message) => {
    ready = true;
    for (const [stream, at] of Object.entries((message && message.streams) || {})) {
      const known = streams[stream];
      if (!known || known.epoch !== at.epoch || Number(at.offset) > Number(known.offset)) remember(stream, at.offset, at.epoch);
      else epochs[at.epoch] = stream;
    }
    stopPolling();
  });
  for (const type of TYPES) socket.on(type, (event) => accept({ type, ...event }));
  socket.on("resync", (event) => {
    remember(streamOf(event), event.offset, event.epoch);
    emit({ type: "resync", ...event });
  });
  socket.on("connect_error", () => startPolling());
  socket.on("disconnect", () => { ready = false; startPolling(); });
  setTimeout(() => { if (!ready) startPolling(); }, 2500);
}

// -- the fall-back: poll and turn differences into the same events -------------------------
async function look() {
  const [quests, inventory] = await Promise.all([
    get("/api/quests").catch(() => null),
    get("/api/inventory").catch(() => null),
  ]);
  const now = { quests: {}, tokens: {} };
  for (const q of (quests && quests.quests) || []) now.quests[q.id] = q;
  for (const t of inventory ? [...inventory.shards, ...inventory.guardians, inventory.legend] : []) {
    now.tokens[t.token_id] = t.balance;
  }
  return now;
}

async function poll() {
  const now = await look();
  const before = snapshot;
  snapshot = now;
  if (!before) return;
  for (const [id, quest] of Object.entries(now.quests)) {
    const was = before.quests[id];
    if (!was || was.status === quest.status) continue;
    const done = (s) => s === "completed" || s === "rewarded";
    if (done(quest.status) && !done(was.status)) {
      emit({ type: "quest.completed", quest_id: id, title: quest.title, polled: true });
    } else if (quest.status === "available" && was.status === "locked") {
      emit({ type: "quest.available", quest_id: id, title: quest.title, polled: true });
    } else {
      emit({ type: "quest.progress", quest_id: id, status: quest.status, polled: true });
    }
  }
  const grants = [];
  for (const [id, balance] of Object.entries(now.tokens)) {
    const was = before.tokens[id] ?? balance;
    if (balance > was) grants.push({ kind: "token", token_id: Number(id), amount: String(balance - was) });
  }
  if (grants.length) emit({ type: "reward.minted", grants, polled: true });
}

function startPolling() {
  if (pollTimer || !signedIn) return;
  // What happened before polling began is unknown: pages reload once, then follow diffs.
  look().then((now) => { snapshot = snapshot || now; emit({ type: "resync", polled: true }); });
  pollTimer = setInterval(() => poll().catch(() => {}), POLL_MS);
}

function stopPolling() {
  if (pollTimer) clearInterval(pollTimer);
  pollTimer = null;
}

export function startLive({ player: me } = {}) {
  signedIn = Boolean(me);
  player = me ? me.address : null;
  try {
    connect();
  } catch (err) {
    console.warn("live updates fall back to polling", err);
    startPolling();
  }
}
