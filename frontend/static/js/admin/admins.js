import { call, guarded } from './api.js';

document.querySelector('#grant-form').addEventListener('submit', guarded(async (event) => {
  await call('POST', '/api/admin/admins', { address: event.target.address.value.trim() });
  window.location.reload();
}));

for (const button of document.querySelectorAll('[data-revoke]')) {
  button.addEventListener('click', guarded(async () => {
    await call('DELETE', `/api/admin/admins/${button.dataset.revoke}`);
    window.location.reload();
  }));
}
