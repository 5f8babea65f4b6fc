// The admin API client: JSON in and out, the session's CSRF token on every change, and
// {"error", "field"} answers turned into readable messages.
const token = () => document.querySelector('meta[name="csrf-token"]')?.content
  || document.querySelector('input[name="csrf_token"]')?.value || '';

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.field ? `${body.field}: ${body.error}` : (body?.error || `HTTP ${status}`));
    this.status = status;
    this.field = body?.field ?? null;
  }
}

export async function call(method, path, body) {
  // X-Requested-With as the player client sends it (legends/auth/forgery.py); the CSRF token
  // is what the admin guard asks of every change.
  const headers = { Accept: 'application/json', 'X-Requested-With': 'legends' };
  if (method !== 'GET') headers['X-CSRF-Token'] = token();
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export function flash(text, isError = false) {
  const box = document.querySelector('.flash');
  if (!box) return;
  box.textContent = text;
  box.hidden = false;
  box.classList.toggle('error', isError);
}

export function guarded(action) {
  return async (event) => {
    event?.preventDefault?.();
    try {
      await action(event);
    } catch (error) {
      flash(error.message, true);
    }
  };
}
