// The desert map: regions open or sealed and each quest's status, updated in place.
import { boot } from "./app.js";
import { get } from "./api.js";
import { onLive } from "./live.js";
import { $, $$, statusText } from "./ui.js";
import { ready } from "./ui.js";

async function repaint() {
  const world = await get("/api/world");
  for (const region of world.regions) {
    const place = $(`.desert [data-region='${region.key}']`);
    if (place) {
      place.classList.toggle("open", region.unlocked);
      place.classList.toggle("sealed", !region.unlocked);
      place.setAttribute("aria-label", `${region.name}: ${region.unlocked ? "open" : "sealed"}`);
      $("[data-state]", place).textContent = region.unlocked ? "Open" : "Sealed";
    }
    const card = $(`[data-region-card='${region.key}']`);
    if (!card) continue;
    card.classList.toggle("open", region.unlocked);
    card.classList.toggle("locked", !region.unlocked);
    $("[data-gate]", card).textContent = region.unlocked ? "Open" : `Sealed: finish ${region.missing.join(", ")}`;
    for (const quest of region.quests) {
      const row = $(`[data-quest='${quest.id}']`, card);
      if (!row) continue;
      row.className = `quest ${quest.status}`;
      $("[data-badge]", row).textContent = statusText(quest.status);
    }
  }
}

await boot();
let pending = null;
onLive(() => { clearTimeout(pending); pending = setTimeout(() => repaint().catch(() => {}), 200); });
$$(".desert .place").forEach((place) => place.setAttribute("tabindex", "0"));
ready();
