// The campaign form: local times in, UTC out; weekly windows and announcements built from
// the form; publish, pause, end early and clone through the admin API.
import { call, flash, guarded } from './api.js';
import { fromLocalInput, toLocalInput } from './time.js';

const form = document.querySelector('#campaign-form');
const campaign = JSON.parse(form.dataset.campaign || 'null');
const DAY = 86400000;

function announcementRow(note = { send_at: null, text: '' }) {
  const row = document.createElement('div');
  row.className = 'announcement';
  row.innerHTML = '<label>At <input type="datetime-local" name="note-at"></label>'
    + '<label>Text <input name="note-text" maxlength="500"></label>';
  if (note.send_at) row.querySelector('[name=note-at]').value = toLocalInput(note.send_at);
  row.querySelector('[name=note-text]').value = note.text;
  document.querySelector('#announcements').append(row);
}

function fill() {
  if (!campaign) return;
  form.starts_at.value = toLocalInput(campaign.starts_at);
  form.ends_at.value = toLocalInput(campaign.ends_at);
  const w = campaign.windows[0];
  if (w) {
    form.board.value = w.board;
    const tier = w.prizes[0];
    if (tier) {
      form.top.value = tier.last;
      const [region, n] = Object.entries(tier.rewards.shards || {})[0] || ['gate', 0];
      form['prize-region'].value = region;
      form['prize-shards'].value = n;
      form['prize-xp'].value = tier.rewards.xp || 0;
    }
  }
  campaign.announcements.filter((a) => !a.sent_at).forEach(announcementRow);
}

function weekly(startsAt, endsAt) {
  if (!form.weekly.checked) return [];
  const shards = Number(form['prize-shards'].value) || 0;
  const rewards = { shards: shards ? { [form['prize-region'].value]: shards } : {}, xp: Number(form['prize-xp'].value) || 0 };
  const prizes = shards || rewards.xp ? [{ first: 1, last: Number(form.top.value) || 10, rewards }] : [];
  const windows = [];
  for (let at = Date.parse(startsAt); at < Date.parse(endsAt); at += 7 * DAY) {
    const end = Math.min(at + 7 * DAY, Date.parse(endsAt));
    windows.push({ starts_at: new Date(at).toISOString(), ends_at: new Date(end).toISOString(), board: form.board.value, prizes });
  }
  return windows;
}

function body() {
  const startsAt = fromLocalInput(form.starts_at.value);
  const endsAt = fromLocalInput(form.ends_at.value);
  const budgets = {};
  for (const kind of ['shards', 'sahara', 'xp']) {
    const value = form[`budget-${kind}`].value;
    if (value !== '') budgets[kind] = Number(value);
  }
  const announcements = [...document.querySelectorAll('.announcement')]
    .map((row) => ({ send_at: fromLocalInput(row.querySelector('[name=note-at]').value), text: row.querySelector('[name=note-text]').value }))
    .filter((a) => a.text.trim());
  const paid = (campaign?.windows || []).filter((w) => w.paid_at)
    .map(({ starts_at, ends_at, board, prizes }) => ({ starts_at, ends_at, board, prizes }));
  const fresh = weekly(startsAt, endsAt).filter((w) => !paid.some((p) => Date.parse(p.starts_at) === Date.parse(w.starts_at)));
  return {
    name: form.name.value, starts_at: startsAt, ends_at: endsAt,
    quests: [...form.querySelectorAll('input[name=quests]:checked')].map((box) => box.value),
    budgets, windows: [...paid, ...fresh], announcements,
  };
}

form.addEventListener('submit', guarded(async () => {
  const saved = campaign
    ? await call('PUT', `/api/admin/campaigns/${campaign.id}`, body())
    : await call('POST', '/api/admin/campaigns', body());
  window.location.assign(`/admin/campaigns/${saved.id}`);
}));

document.querySelector('#add-announcement').addEventListener('click', () => announcementRow());

for (const button of document.querySelectorAll('[data-action]')) {
  button.addEventListener('click', guarded(async () => {
    const result = await call('POST', `/api/admin/campaigns/${campaign.id}/${button.dataset.action}`);
    if (button.dataset.action === 'clone') {
      window.location.assign(`/admin/campaigns/${result.id}`);
      return;
    }
    document.querySelector('#campaign-status').textContent = result.status;
    flash(`${result.name} is ${result.status}`);
  }));
}

fill();
