// The game's JSON API: credentials always sent, a custom header on every state-changing
// request (a CSRF defence the server can require), and {"error","field"} turned into a
// readable ApiError.

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export class ApiError extends Error {
  constructor(message, { status = 0, field = null, body = null, retryAfter = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.field = field;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

export function waitText(seconds) {
  const s = Math.max(1, Math.ceil(Number(seconds) || 0));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60 ? `${s % 60} s` : ""}`.trim();
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60 ? `${m % 60} min` : ""}`.trim();
}

function readable(status, body, headers) {
  const text = (body && typeof body.error === "string" && body.error) || `the server answered ${status}`;
  const field = body && body.field ? body.field : null;
  const retry = Number((body && body.retry_after) || headers.get("Retry-After") || 0) || null;
  let message = text.charAt(0).toUpperCase() + text.slice(1);
  if (status === 401) message = "Sign in with your wallet first.";
  if (status === 429 && retry) message += ` — try again in ${waitText(retry)}.`;
  if (status >= 500 && !(body && body.error)) message = "The game server had a problem; please try again in a moment.";
  return new ApiError(message, { status, field, body, retryAfter: retry });
}

export async function api(path, { method = "GET", body, signal } = {}) {
  const headers = { Accept: "application/json" };
  const options = { method, headers, credentials: "same-origin", signal };
  if (STATE_CHANGING.has(method)) {
    headers["X-Requested-With"] = "legends";
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (err) {
    if (err && err.name === "AbortError") throw err;
    throw new ApiError("The game server cannot be reached; check your connection and try again.");
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) throw readable(response.status, data, response.headers);
  return data;
}

export const get = (path) => api(path);
export const post = (path, body) => api(path, { method: "POST", body });
