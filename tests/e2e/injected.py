"""A test EIP-1193 wallet: a script announces it through EIP-6963 in the page, and every
request is forwarded to Python (``page.expose_function``), which signs with a test key and
talks to the devnet. It starts on chain 0x1 and does not know the devnet (error 4902)."""

from __future__ import annotations

from typing import Any

import requests
from eth_account import Account
from eth_account.messages import encode_defunct
from eth_utils import to_checksum_address

SHIM = """
(() => {
  const make = (info, forward) => {
    const provider = {
      async request({ method, params }) {
        const answer = await window[forward](method, params || []);
        if (answer && answer.error) {
          const err = new Error(answer.error.message);
          err.code = answer.error.code;
          throw err;
        }
        return answer ? answer.result : null;
      },
      on() {}, removeListener() {},
    };
    const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider",
      { detail: Object.freeze({ info, provider }) }));
    window.addEventListener("eip6963:requestProvider", announce);
    announce();
  };
  const icon = (color) => "data:image/svg+xml," + encodeURIComponent(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">` +
    `<rect width="10" height="10" rx="2" fill="${color}"/></svg>`);
  make({ uuid: "6d1d0f3e-1b9a-4c55-9a55-000000000001", name: "Dune Test Wallet", icon: icon("#2b7a9c"),
         rdns: "dev.sahara-legends.dune" }, "__duneWallet");
  make({ uuid: "6d1d0f3e-1b9a-4c55-9a55-000000000002", name: "Mirage Wallet", icon: icon("#9c2b7a"),
         rdns: "dev.sahara-legends.mirage" }, "__mirageWallet");
})();
"""


class DuneWallet:
    def __init__(self, rpc_url: str, *, reject_signatures: bool = False) -> None:
        self.account = Account.create()
        self.rpc_url = rpc_url
        self.reject_signatures = reject_signatures
        self.chain = "0x1"
        self.known = {"0x1"}
        self.added: dict[str, Any] | None = None
        self.calls: list[str] = []
        self.errors: list[tuple[str, Any]] = []

    @property
    def address(self) -> str:
        return self.account.address

    def _rpc(self, method: str, params: list[Any]) -> dict[str, Any]:
        answer = requests.post(self.rpc_url, json={"jsonrpc": "2.0", "id": 1, "method": method,
                                                   "params": params}, timeout=10).json()
        return {"error": answer["error"]} if "error" in answer else {"result": answer["result"]}

    def __call__(self, method: str, params: list[Any]) -> dict[str, Any]:
        answer = self._answer(method, params)
        if "error" in answer:
            self.errors.append((method, answer["error"]))
        return answer

    def _answer(self, method: str, params: list[Any]) -> dict[str, Any]:
        self.calls.append(method)
        if method in ("eth_requestAccounts", "eth_accounts"):
            return {"result": [self.address]}
        if method == "eth_chainId":
            return {"result": self.chain}
        if method == "wallet_switchEthereumChain":
            target = params[0]["chainId"]
            if target not in self.known:
                return {"error": {"code": 4902, "message": f"Unrecognized chain ID {target}"}}
            self.chain = target
            return {"result": None}
        if method == "wallet_addEthereumChain":
            self.added = params[0]
            self.known.add(params[0]["chainId"])
            return {"result": None}
        if method == "personal_sign":
            if self.reject_signatures:
                return {"error": {"code": 4001, "message": "User rejected the request."}}
            message = bytes.fromhex(params[0].removeprefix("0x"))
            signed = self.account.sign_message(encode_defunct(primitive=message))
            return {"result": "0x" + signed.signature.hex().removeprefix("0x")}
        if method == "eth_sendTransaction":
            return self._send(params[0])
        return self._rpc(method, params)

    def _send(self, tx: dict[str, Any]) -> dict[str, Any]:
        nonce = self._rpc("eth_getTransactionCount", [self.address, "pending"])["result"]
        price = self._rpc("eth_gasPrice", [])["result"]
        call = {"from": self.address, "to": tx.get("to"), "data": tx.get("data", "0x"),
                "value": tx.get("value", "0x0")}
        gas = tx.get("gas") or tx.get("gasLimit")
        if not gas:
            estimate = self._rpc("eth_estimateGas", [call])
            if "error" in estimate:
                return estimate
            gas = estimate["result"]
        signed = self.account.sign_transaction({
            "to": to_checksum_address(tx["to"]), "data": tx.get("data", "0x"),
            "value": int(tx.get("value", "0x0"), 16),
            "nonce": int(nonce, 16), "gas": int(gas, 16) * 12 // 10, "gasPrice": int(price, 16) * 2,
            "chainId": int(self.chain, 16)})
        return self._rpc("eth_sendRawTransaction", ["0x" + signed.raw_transaction.hex().removeprefix("0x")])


def install(page, wallet: DuneWallet) -> None:
    page.expose_function("__duneWallet", wallet)
    page.expose_function("__mirageWallet", lambda method, params: {
        "error": {"code": 4001, "message": "Mirage is only a mirage."}})
    page.add_init_script(SHIM)
