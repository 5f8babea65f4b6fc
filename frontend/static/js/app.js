// What every page shares: who is signed in, the wallet bar, sign-in and sign-out, and the
// live toasts. A page module calls boot() and gets {me, wallet}.
import { ApiError, get, post } from "./api.js";
import { chainInfo, ethers, prepareErrors } from "./chain.js";
import { onLive, startLive } from "./live.js";
import { $, short, toast } from "./ui.js";
import { current, forgetChoice } from "./wallet.js";

export const state = { me: null, wallet: null };

async function whoAmI() {
  try {
    return await get("/api/me");
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

export function paintBar() {
  const bar = $("#wallet-bar");
  if (!bar) return;
  const { me, wallet } = state;
  const who = $("[data-who]", bar);
  if (me) who.textContent = `${short(me.address)} · ${me.xp} XP`;
  else if (wallet) who.textContent = `${wallet.label} ${short(wallet.address)} · not signed in`;
  else who.textContent = "Not signed in";
  $("[data-connect-link]", bar).hidden = Boolean(me);
  $("[data-sign-out]", bar).hidden = !me;
}

// EIP-4361: the message is built from what /api/auth/nonce says this deployment requires.
export function siweMessage(n, address, issuedAt = new Date()) {
  return [
    `${n.domain} wants you to sign in with your Ethereum account:`,
    ethers.getAddress(address),
    "",
    n.statement,
    "",
    `URI: ${n.uri}`,
    `Version: ${n.version}`,
    `Chain ID: ${n.chain_id}`,
    `Nonce: ${n.nonce}`,
    `Issued At: ${issuedAt.toISOString()}`,
  ].join("\n");
}

export async function signIn(wallet, referral) {
  const nonce = await get("/api/auth/nonce");
  const message = siweMessage(nonce, wallet.address);
  const signature = await wallet.signMessage(message);
  const body = { message, signature };
  if (referral) body.referral_code = referral;
  await post("/api/auth/verify", body);
  state.me = await whoAmI();
  paintBar();
  return state.me;
}

export async function signOut() {
  await post("/api/auth/logout");
  forgetChoice();
  state.me = null;
  state.wallet = null;
  window.location.assign("/");
}

let opened = [];
let openedTimer = null;

function liveToasts(event) {
  const title = event.title || event.quest_id;
  if (event.type === "quest.available") {  // several open at once: one toast names them
    opened.push(title);
    clearTimeout(openedTimer);
    openedTimer = setTimeout(() => {
      toast(opened.length === 1 ? `A new quest opened: ${opened[0]}` : `${opened.length} new quests opened: ` +
        `${opened.slice(0, 3).join(", ")}${opened.length > 3 ? "…" : ""}`, "info");
      opened = [];
    }, 300);
    return;
  }
  if (event.type === "quest.completed") toast(`Quest completed: ${title}`, "success");
  else if (event.type === "reward.minted") {
    const count = (event.grants || []).filter((g) => Number(g.token_id) > 0).length;
    toast(count ? "Your reward arrived: new shards in your pack" : "Your reward arrived", "success");
  } else if (event.type === "craft.done") toast("A Guardian answers your call!", "success");
  else if (event.type === "announcement") toast(event.message, "info", 10_000);
  else if (event.type === "leaderboard.changed" && event.rank) {
    toast(`You are now #${event.rank} on the ${event.board} board`, "info");
  }
}

export async function boot() {
  const signOutButton = $("[data-sign-out]");
  if (signOutButton) signOutButton.addEventListener("click", () => signOut().catch((e) => toast(e.message, "error")));
  prepareErrors();
  try {
    const [me, wallet] = await Promise.all([whoAmI(), current().catch(() => null)]);
    state.me = me;
    state.wallet = state.wallet || wallet; // a wallet chosen meanwhile wins
  } catch (err) {
    toast(err.message, "error");
  }
  if (state.me && state.wallet && state.wallet.address &&
      state.wallet.address.toLowerCase() !== state.me.address.toLowerCase()) {
    state.wallet = null; // the session belongs to another wallet: do not send from this one
  }
  paintBar();
  onLive(liveToasts);
  let stale = null;
  onLive(() => {  // XP in the bar follows completions and rewards
    clearTimeout(stale);
    stale = setTimeout(async () => { if (state.me) { state.me = (await whoAmI()) || state.me; paintBar(); } }, 400);
  });
  startLive({ player: state.me });
  chainInfo().catch(() => {});
  return state;
}

// The signed-in player's wallet, or a readable error saying what to do first.
export function needWallet() {
  if (!state.me) throw new ApiError("Sign in with your wallet first (on the landing page).", { status: 401 });
  if (!state.wallet) throw new ApiError("Reconnect the wallet you signed in with (on the landing page).");
  return state.wallet;
}
