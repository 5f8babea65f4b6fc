// Admin sign-in: the same EIP-4361 flow as players, through the browser's wallet (EIP-1193).
const HEADER = ' wants you to sign in with your Ethereum account:';

function message(info, address) {
  return [
    `${new URL(info.uri).protocol.replace(':', '')}://${info.domain}${HEADER}`, address, '',
    info.statement, '',
    `URI: ${info.uri}`, `Version: ${info.version}`, `Chain ID: ${info.chain_id}`,
    `Nonce: ${info.nonce}`, `Issued At: ${new Date().toISOString()}`,
  ].join('\n');
}

async function signIn() {
  const status = document.querySelector('.flash');
  try {
    if (!window.ethereum) throw new Error('no wallet found in this browser');
    const [address] = await window.ethereum.request({ method: 'eth_requestAccounts' });
    const info = await (await fetch('/api/auth/nonce', { credentials: 'same-origin' })).json();
    const text = message(info, address);
    const signature = await window.ethereum.request({ method: 'personal_sign', params: [text, address] });
    const response = await fetch('/api/auth/verify', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Requested-With': 'legends' },
      body: JSON.stringify({ message: text, signature }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error);
    window.location.reload();
  } catch (error) {
    status.hidden = false;
    status.textContent = `Sign-in failed: ${error.message}`;
  }
}

document.querySelector('#sign-in')?.addEventListener('click', signIn);
