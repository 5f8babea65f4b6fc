// Times are stored and sent in UTC; the admin reads them in their own time zone.
const format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function localText(iso) {
  return format.format(new Date(iso));
}

// "2026-12-01T10:00" for <input type="datetime-local">, in the browser's zone.
export function toLocalInput(iso) {
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

// The local wall time of a datetime-local input as a UTC ISO instant.
export function fromLocalInput(value) {
  return value ? new Date(value).toISOString() : null;
}

export function showTimes(root = document) {
  for (const el of root.querySelectorAll('time[data-utc]')) {
    el.textContent = localText(el.dataset.utc);
    el.title = el.dataset.utc;
  }
  for (const el of root.querySelectorAll('.tz')) {
    el.textContent = Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
}

showTimes();
