// The player's wallet behind one interface — connect(), address, sendTransaction(),
// signMessage() — for a devnet burner (key in this browser's storage) or an injected
// EIP-1193 wallet found through EIP-6963 (window.ethereum as the fall-back).
import { chainInfo, ethers, readProvider } from "./chain.js";

const BURNER_KEY = "legends.burner.key";
const CHOSEN = "legends.wallet";
const announced = new Map();

window.addEventListener("eip6963:announceProvider", (event) => {
  const detail = event.detail;
  if (detail && detail.info && detail.provider) announced.set(detail.info.uuid || detail.info.rdns, detail);
});

const rpcCode = (err) => (err && (err.code ?? (err.data && err.data.originalError && err.data.originalError.code) ??
  (err.error && err.error.code))) || null;

// Wait for a mined receipt from the game's own RPC, asking every 250 ms (a block listener can
// miss the block that holds it on an idle devnet that mines per transaction); a failed
// receipt is an error carrying it.
async function mined(hash, timeout = 60_000) {
  const provider = await readProvider();
  const deadline = Date.now() + timeout;
  let receipt = null;
  while (!receipt) {
    receipt = await provider.getTransactionReceipt(hash);
    if (receipt) break;
    if (Date.now() > deadline) throw new Error("the transaction was not mined within a minute");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  if (receipt.status !== 1) {
    const err = new Error("the transaction was reverted on chain");
    err.code = "CALL_EXCEPTION";
    err.receipt = receipt;
    throw err;
  }
  return receipt;
}

export class BurnerWallet {
  constructor(key) {
    this.kind = "burner";
    this.label = "Devnet burner";
    this.key = key;
    this.address = new ethers.Wallet(key).address;
    this.signer = null;
  }

  async connect() {
    this.signer = new ethers.Wallet(this.key, await readProvider());
    localStorage.setItem(CHOSEN, "burner");
    return this.address;
  }

  async signMessage(message) {
    return new ethers.Wallet(this.key).signMessage(message);
  }

  async sendTransaction(tx) {
    if (!this.signer) await this.connect();
    const sent = await this.signer.sendTransaction(tx);
    return mined(sent.hash);
  }
}

export class InjectedWallet {
  constructor({ info, provider }) {
    this.kind = "injected";
    this.info = info;
    this.label = info.name;
    this.provider = provider;
    this.address = null;
  }

  async connect() {
    const accounts = await this.provider.request({ method: "eth_requestAccounts" });
    if (!accounts || !accounts.length) throw new Error("the wallet shared no account");
    this.address = ethers.getAddress(accounts[0]);
    await this.ensureChain();
    localStorage.setItem(CHOSEN, this.info.rdns || this.info.uuid);
    return this.address;
  }

  async restore() {
    const accounts = await this.provider.request({ method: "eth_accounts" });
    this.address = accounts && accounts.length ? ethers.getAddress(accounts[0]) : null;
    return this.address;
  }

  // Switch to the game's chain; a wallet that does not know it (4902) is asked to add it.
  async ensureChain() {
    const chain = await chainInfo();
    const current = await this.provider.request({ method: "eth_chainId" });
    if (Number.parseInt(current, 16) === chain.chain_id) return;
    const switchTo = () => this.provider.request({
      method: "wallet_switchEthereumChain", params: [{ chainId: chain.chain_id_hex }] });
    try {
      await switchTo();
    } catch (err) {
      if (rpcCode(err) !== 4902) throw err;
      await this.provider.request({
        method: "wallet_addEthereumChain",
        params: [{ chainId: chain.chain_id_hex, chainName: chain.chain_name, rpcUrls: [chain.rpc_url],
          nativeCurrency: chain.currency }],
      });
      await switchTo();
    }
  }

  async signMessage(message) {
    const hex = ethers.hexlify(ethers.toUtf8Bytes(message));
    return this.provider.request({ method: "personal_sign", params: [hex, this.address] });
  }

  async sendTransaction(tx) {
    await this.ensureChain();
    const signer = await new ethers.BrowserProvider(this.provider).getSigner(this.address);
    const sent = await signer.sendTransaction(tx);
    return mined(sent.hash);
  }
}

// Every injected wallet that answers EIP-6963 (by name and icon), or window.ethereum.
export async function discover(wait = 300) {
  window.dispatchEvent(new Event("eip6963:requestProvider"));
  await new Promise((resolve) => setTimeout(resolve, wait));
  const found = [...announced.values()];
  if (!found.length && window.ethereum) {
    found.push({ info: { uuid: "window.ethereum", name: "Browser wallet", icon: "", rdns: "window.ethereum" },
      provider: window.ethereum });
  }
  return found;
}

export const burnerKey = () => localStorage.getItem(BURNER_KEY);

export function createBurner() {
  const key = burnerKey() || ethers.Wallet.createRandom().privateKey;
  localStorage.setItem(BURNER_KEY, key);
  return new BurnerWallet(key);
}

export function forgetBurner() {
  localStorage.removeItem(BURNER_KEY);
  if (localStorage.getItem(CHOSEN) === "burner") localStorage.removeItem(CHOSEN);
}

export function forgetChoice() {
  localStorage.removeItem(CHOSEN);
}

// The wallet this browser chose last time, ready to use without a prompt (or null).
export async function current() {
  const chosen = localStorage.getItem(CHOSEN);
  if (!chosen) return null;
  if (chosen === "burner") {
    const key = burnerKey();
    if (!key) return null;
    const wallet = new BurnerWallet(key);
    await wallet.connect();
    return wallet;
  }
  const detail = (await discover(200)).find((d) => (d.info.rdns || d.info.uuid) === chosen);
  if (!detail) return null;
  const wallet = new InjectedWallet(detail);
  return (await wallet.restore()) ? wallet : null;
}
