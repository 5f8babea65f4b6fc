// Dry runs: nothing they do is written.
import { call, guarded } from './api.js';

document.querySelector('#quest-dry-run').addEventListener('submit', guarded(async (event) => {
  const f = event.target;
  const result = await call('POST', '/api/admin/dry-run/quest', {
    quest_id: f.quest_id.value, player: f.player.value.trim(), tx_hash: f.tx_hash.value.trim(),
  });
  const lines = [result.counts ? 'It would count.' : 'It would not count.', ...result.why];
  document.querySelector('#quest-dry-run-result').textContent = lines.join('\n');
}));

document.querySelector('#simulate').addEventListener('submit', guarded(async (event) => {
  const f = event.target;
  const body = { rate: Number(f.rate.value) };
  if (f.players.value !== '') body.players = Number(f.players.value);
  const result = await call('POST', `/api/admin/campaigns/${f.campaign_id.value}/simulate`, body);
  const out = document.querySelector('#simulate-result');
  out.replaceChildren();
  const caps = document.createElement('p');
  caps.textContent = Object.entries(result.cap_hit)
    .map(([kind, day]) => `${kind}: ${day ? `cap hit on ${day}` : 'the cap holds'}`).join(' · ') || 'No budgets set.';
  const table = document.createElement('table');
  table.className = 'admin-table';
  for (const day of result.days) {
    const row = table.insertRow();
    row.insertCell().textContent = day.day;
    row.insertCell().textContent = Object.entries(day.spent).map(([k, v]) => `${k} ${v}`).join(' · ');
    row.insertCell().textContent = Object.entries(day.left).map(([k, v]) => `${k} left ${v}`).join(' · ');
  }
  out.append(caps, table);
}));
