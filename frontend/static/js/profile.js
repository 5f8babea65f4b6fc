// The profile: level and XP, the check-in streak, and the referral link to copy.
import { boot } from "./app.js";
import { get } from "./api.js";
import { onLive } from "./live.js";
import { $, say, toast } from "./ui.js";
import { ready } from "./ui.js";

const state = await boot();

async function load() {
  if (!state.me) return say("[data-profile-message]", "Sign in to see your profile.", "info");
  const [world, referrals] = await Promise.all([get("/api/world"), get("/api/referrals").catch(() => null)]);
  const me = world.player;
  $("[data-level]").textContent = String(me.level);
  $("[data-rank-name]").textContent = me.rank ? `· ${me.rank}` : "";
  $("[data-xp]").textContent = String(me.xp);
  $("[data-next-level]").textContent = me.next_level_xp ? `· next level at ${me.next_level_xp} XP` : "";
  $("[data-level-bar]").style.width = `${Math.min(100, me.next_level_xp ? (100 * me.xp) / me.next_level_xp : 100)}%`;
  $("[data-address]").textContent = me.address;
  $("[data-ref-link]").value = `${window.location.origin}/?ref=${state.me.referral_code}`;
  if (referrals) {
    const count = referrals.invited;
    $("[data-referrals]").textContent = `${count} traveller${count === 1 ? "" : "s"} came with your link; ` +
      `${referrals.activated} finished the Gate's activation quests.`;
  }
}

$("[data-copy]").addEventListener("click", async () => {
  const input = $("[data-ref-link]");
  try {
    await navigator.clipboard.writeText(input.value);
    toast("Referral link copied", "success");
  } catch {
    input.select();
    toast("Select-all done: press Ctrl+C to copy", "info");
  }
});
onLive(() => load().catch(() => {}));
load().catch((err) => say("[data-profile-message]", err.message, "error"));
ready();
