import { call, guarded } from './api.js';

const actions = [
  ['data-retry-grant', (key) => call('POST', '/api/admin/rewards/retry', { grant_keys: [key] })],
  ['data-cancel-grant', (key) => call('POST', '/api/admin/rewards/cancel', { grant_keys: [key] })],
  ['data-retry-batch', (id) => call('POST', '/api/admin/rewards/retry', { batch_ids: [id] })],
];

for (const [attribute, act] of actions) {
  for (const button of document.querySelectorAll(`[${attribute}]`)) {
    button.addEventListener('click', guarded(async () => {
      await act(button.getAttribute(attribute));
      window.location.reload();
    }));
  }
}
