// Approving a SAHARA spend before a contract pulls it (shared by the stations).
import { address, contract, send } from "../chain.js";

export async function allow(wallet, spenderName, amount, step) {
  const token = await contract("SaharaToken");
  const spender = await address(spenderName);
  if ((await token.allowance(wallet.address, spender)) >= amount) return;
  if (step) step("Approve the SAHARA spend in your wallet…");
  await send(wallet, "SaharaToken", "approve", [spender, amount]);
}
