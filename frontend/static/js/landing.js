// The landing page: find wallets (EIP-6963), make or reuse a devnet burner, sign in.
import { boot, paintBar, signIn, state } from "./app.js";
import { $, act, el, say } from "./ui.js";
import { InjectedWallet, burnerKey, createBurner, discover, forgetBurner } from "./wallet.js";
import { ready } from "./ui.js";

const out = $("[data-connect-message]");
const signInButton = $("[data-sign-in]");

function refresh() {
  const { me, wallet } = state;
  signInButton.disabled = !wallet || Boolean(me);
  signInButton.textContent = me ? "Signed in" : wallet ? `Sign in as ${wallet.address.slice(0, 8)}…` : "Sign in with your wallet";
  $("[data-burner-tools]").hidden = !burnerKey();
  $("[data-burner-create]").hidden = Boolean(burnerKey());
  $("[data-step='go']").classList.toggle("ready", Boolean(me));
  $("[data-step='sign-in']").classList.toggle("done", Boolean(me));
  $("[data-step='wallet']").classList.toggle("done", Boolean(wallet || me));
  paintBar();
}

async function choose(wallet) {
  await wallet.connect();
  state.wallet = wallet;
  if (state.me && state.me.address.toLowerCase() !== wallet.address.toLowerCase()) state.me = null;
  refresh();
  say(out, `${wallet.label} ready: ${wallet.address}. Now sign in.`, "success");
}

async function listWallets() {
  const list = $("[data-wallets]");
  const found = await discover();
  list.replaceChildren();
  if (!found.length) {
    list.append(el("li", { class: "muted" }, "No browser wallet found — use a devnet burner instead."));
    return;
  }
  for (const detail of found) {
    const button = el("button", { type: "button", class: "wallet-choice", "data-wallet": detail.info.rdns },
      detail.info.icon ? el("img", { src: detail.info.icon, alt: "", width: 28, height: 28 }) : null,
      `Connect ${detail.info.name}`);
    button.addEventListener("click", () => act(button, out, () => choose(new InjectedWallet(detail)),
      { busy: "Waiting for your wallet…" }).then(refresh));
    list.append(el("li", {}, button));
  }
}

$("[data-burner-create]").addEventListener("click", (event) =>
  act(event.currentTarget, out, () => choose(createBurner()), { busy: "Making a burner…" }).then(refresh));
$("[data-burner-use]").addEventListener("click", (event) =>
  act(event.currentTarget, out, () => choose(createBurner())));
$("[data-burner-export]").addEventListener("click", () => {
  const box = $("[data-burner-key]");
  box.hidden = !box.hidden;
  $("[data-burner-key-text]").value = box.hidden ? "" : burnerKey() || "";
});
$("[data-burner-forget]").addEventListener("click", () => {
  if (!window.confirm("Forget this burner key? Export it first if you want to keep its progress.")) return;
  forgetBurner();
  if (state.wallet && state.wallet.kind === "burner") state.wallet = null;
  refresh();
});
signInButton.addEventListener("click", () => act(signInButton, out, async () => {
  const me = await signIn(state.wallet, $("[data-referral]").value.trim() || null);
  refresh();
  say(out, `Welcome, traveller ${me.address.slice(0, 8)}… The Gate is open: go and drink from the well.`, "success");
  $("[data-go-gate]").focus();
}, { busy: "Sign the message in your wallet…" }).then(refresh));

const ref = new URLSearchParams(window.location.search).get("ref");
if (ref) $("[data-referral]").value = ref;

boot().then(() => { refresh(); listWallets(); ready(); });
