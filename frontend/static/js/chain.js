// The chain as the browser sees it: ids, RPC URL, addresses and ABIs come from the app
// (GET /api/chain); reverted calls are explained with the decoded custom error.
import { ethers } from "../vendor/ethers.min.js";
import { ApiError, get, waitText } from "./api.js";

let info = null;
let reader = null;
let errors = null;

export { ethers };

export async function chainInfo() {
  if (!info) info = get("/api/chain").catch((err) => { info = null; throw err; });
  return info;
}

export async function readProvider() {
  const chain = await chainInfo();
  if (!reader) {
    // cacheTimeout -1: no answer is reused, so a nonce read right after a mined transaction is fresh.
    reader = new ethers.JsonRpcProvider(chain.rpc_url, chain.chain_id,
      { staticNetwork: true, pollingInterval: 500, cacheTimeout: -1 });
  }
  return reader;
}

export async function contract(name, runner) {
  const chain = await chainInfo();
  const found = chain.contracts[name];
  if (!found) throw new ApiError(`the ${name} contract is not deployed on this chain`);
  return new ethers.Contract(found.address, found.abi, runner || (await readProvider()));
}

export async function address(name) {
  return (await chainInfo()).contracts[name].address;
}

async function allErrors() {
  if (errors) return errors;
  const chain = await chainInfo();
  const seen = new Set();
  const fragments = [];
  for (const { abi } of Object.values(chain.contracts)) {
    for (const item of abi) {
      if (item.type !== "error") continue;
      const key = `${item.name}(${item.inputs.map((i) => i.type).join(",")})`;
      if (!seen.has(key)) { seen.add(key); fragments.push(item); }
    }
  }
  errors = new ethers.Interface(fragments);
  return errors;
}

// Encode a call and send it from the player's wallet; resolves with the mined receipt.
export async function send(wallet, name, method, args = [], { value } = {}) {
  const target = await contract(name);
  await allErrors();
  const data = target.interface.encodeFunctionData(method, args);
  return wallet.sendTransaction({ to: await target.getAddress(), data, value: value || 0n });
}

export const sahara = (wei) => {
  const text = ethers.formatEther(BigInt(wei || 0));
  return text.endsWith(".0") ? text.slice(0, -2) : text;
};
export const toWei = (amount) => ethers.parseEther(String(amount || "0").trim() || "0");

function revertData(err) {
  const candidates = [err && err.data, err && err.info && err.info.error && err.info.error.data,
    err && err.error && err.error.data, err && err.data && err.data.data,
    err && err.error && err.error.data && err.error.data.data];
  return candidates.find((d) => typeof d === "string" && /^0x[0-9a-f]{8}/i.test(d)) || null;
}

function isRejected(err) {
  return (err && (err.code === "ACTION_REJECTED" || err.code === 4001 ||
    (err.info && err.info.error && err.info.error.code === 4001) || (err.error && err.error.code === 4001)));
}

const left = (at) => waitText(Number(at) - Date.now() / 1000);

// What each custom error means to a player (the rest are shown by name and arguments).
const MEANING = {
  FaucetCooldown: (a) => `the well needs time to refill — claim again in ${left(a.nextClaimAt)}`,
  FaucetDailyCapReached: () => "you reached today's faucet cap; come back after midnight UTC",
  AlreadyHasIdentity: () => "you already carved a Sahara ID (one per traveller)",
  Soulbound: () => "soulbound tokens cannot be handed to someone else",
  ERC20InsufficientBalance: (a) => `not enough SAHARA: you have ${sahara(a.balance)}, this needs ${sahara(a.needed)}`,
  ERC20InsufficientAllowance: () => "the contract may not spend your SAHARA yet (approval missing)",
  InsufficientShards: (a) => `not enough shards: you hold ${a.balance}, the recipe burns ${a.required}`,
  MissingGuardian: (a) => `the Legend needs Guardian ${a.guardianId} too`,
  AlreadyForged: () => "you have already forged your Legend",
  UnstakeNotReady: (a) => `your unstake is still cooling down — ready in ${left(a.availableAt)}`,
  NoPendingUnstake: () => "you have no unstake waiting: request one first",
  InsufficientStake: (a) => `you have only ${sahara(a.staked)} SAHARA staked`,
  NoRewards: () => "your stake has not earned anything to claim yet",
  ZeroAmount: () => "the amount must be more than zero",
  NoVotingPower: () => "you had no stake at this proposal's snapshot, so your voice has no weight on it",
  VotingClosed: () => "voting on this proposal has closed",
  AlreadyVoted: () => "you already voted on this proposal",
  BelowProposalThreshold: (a) => `proposing needs ${sahara(a.threshold)} SAHARA of voting power; you have ${sahara(a.power)}`,
  CannotBuyOwnListing: () => "you cannot buy your own listing",
  ListingNotActive: () => "this listing is no longer for sale",
  NothingToWithdraw: () => "the strongbox holds nothing for you yet",
  NotSeller: () => "only the seller can delist this",
  NotAssetOwner: () => "you do not own that asset (datasets and agents must be yours to list)",
  InvalidPrice: () => "the price must be more than zero",
  SelfLicense: () => "you cannot license your own agent",
  AlreadyLicensed: () => "you already hold a licence for this agent",
  AgentNotFound: (a) => `there is no agent ${a[0]}`,
  NotLicensed: () => "you need a licence for this agent first",
  DuplicateLabel: () => "this exact label was already submitted to the task",
  TaskClosed: () => "this task is closed",
  TaskNotFound: (a) => `there is no task ${a.taskId}`,
  InvalidReward: () => "the reward per label must be more than zero and fit in the budget",
  NotTaskPoster: () => "only the task's poster may do this",
  NoAcceptedLabels: () => "the task has no accepted labels yet, so there is nothing to bottle",
  AccessControlUnauthorizedAccount: () => "your wallet does not hold the role this action needs",
  CannotReviewOwnLabel: () => "you cannot review your own label",
  AlreadyReviewed: () => "this label was already reviewed",
  UnknownRecipe: () => "there is no such recipe",
};

function decoded(err, iface) {
  if (err && err.revert && err.revert.name) return { name: err.revert.name, args: err.revert.args };
  const data = revertData(err);
  if (!data || !iface) return null;
  try {
    const parsed = iface.parseError(data);
    return parsed ? { name: parsed.name, args: parsed.args } : null;
  } catch {
    return null;
  }
}

function describeArgs(args) {
  if (!args || !args.length) return "";
  return `(${[...args].map((a) => (typeof a === "bigint" ? a.toString() : String(a))).join(", ")})`;
}

export function explainError(err) {
  if (!err) return "Something went wrong.";
  if (err instanceof ApiError) return err.message;
  if (isRejected(err)) return "You rejected the request in your wallet — nothing was signed or sent.";
  const text = String(err.shortMessage || err.message || err);
  if (err.code === "INSUFFICIENT_FUNDS" || /insufficient funds/i.test(text)) {
    return "Not enough ETH to pay for gas. Claim from the well at the Gate: on the devnet it also sends a little gas.";
  }
  const found = decoded(err, errors);
  if (found) {
    const meaning = MEANING[found.name];
    const detail = meaning ? meaning(found.args || {}) : `${found.name}${describeArgs(found.args)}`;
    return `The transaction was reverted: ${found.name} — ${detail}.`;
  }
  if (err.code === "UNKNOWN_ERROR" && err.error && err.error.message) return `Your wallet reported: ${err.error.message}`;
  if (err.code === "CALL_EXCEPTION") return `The transaction was reverted${err.reason ? `: ${err.reason}` : ""}.`;
  if (err.code === "NETWORK_ERROR" || /failed to fetch|could not detect network/i.test(text)) {
    return "The chain cannot be reached right now; try again in a moment.";
  }
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

// Load the combined error table early so explanations are ready when a call fails.
export async function prepareErrors() {
  try { await allErrors(); } catch { /* the chain may be offline: explained later */ }
}
