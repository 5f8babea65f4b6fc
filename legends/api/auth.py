"""Sign-in with Ethereum: nonce, verify, logout, me."""

from __future__ import annotations

from flask import current_app, session

from chain.wallets import is_valid_signature
from legends.api import api, limits
from legends.api.auth_models import Me, Nonce, SignedIn, SignedOut, Verify
from legends.api.contract import operation, player, reply
from legends.api.errors import chain_call
from legends.auth.players import STATEMENT, Deployment, SignInError, issue_nonce, now_utc, sign_in
from legends.auth.session import deployment_chain_id, end_session, is_admin, open_session, start_cookie
from legends.db import get_db
from legends.wiring.chainlink import get_chain

NONCES_KEPT = 4  # nonces one browser session may have asked for at once (a few open tabs)


def this_deployment() -> Deployment:
    with chain_call("tell which chain sign-in messages name "
                    "(set CHAIN_ID to sign in while the node is down)"):
        chain_id = deployment_chain_id()
    return Deployment.from_public_url(current_app.config["PUBLIC_URL"], chain_id)


def contract_wallet_accepts(address: str, digest: bytes, signature: bytes) -> bool:
    """EIP-1271 through the chain port; an unreachable chain is a 503 that says so."""
    with chain_call("check the contract wallet's signature (EIP-1271)"):
        return is_valid_signature(get_chain().reader, address, digest, signature)


@operation(api.get, "/auth/nonce", ok={200: Nonce}, errors=(429, 503), tag="auth")
def auth_nonce():  # type: ignore[no-untyped-def]
    """A fresh sign-in nonce and the message fields

    The nonce is bound to the session cookie this answer sets: only a sign-in sent with the
    same cookies can use it.
    """
    limits.take("nonce", limits.client())
    deployment = this_deployment()
    with get_db().sessions.begin() as db:
        row = issue_nonce(db)
        body = {"nonce": row.nonce, "expires_at": row.expires_at.isoformat(),
                "domain": deployment.domain, "uri": deployment.origin,
                "chain_id": deployment.chain_id, "statement": STATEMENT, "version": "1"}
    session["siwe_nonces"] = [*session.get("siwe_nonces", [])[-(NONCES_KEPT - 1):], row.nonce]
    return reply(Nonce, body)


@operation(api.post, "/auth/verify", ok={200: SignedIn, 201: SignedIn}, errors=(400, 401, 429, 503),
           tag="auth")
def auth_verify(body: Verify):  # type: ignore[no-untyped-def]
    """Sign in with a signed EIP-4361 message

    201 on the first sign-in of this address, 200 afterwards; the answer sets the session
    cookie. The message's nonce must have been asked for with the same cookies. A
    smart-contract wallet signs in when its EIP-1271 ``isValidSignature`` accepts the
    signature (its owner's, over the message's EIP-191 hash): that check needs the chain, a
    503 while it is unreachable; an EOA's signature never does.
    """
    now = now_utc()
    limits.refuse_if_over("sign_in_failure", limits.client())
    try:
        with get_db().sessions.begin() as db:
            signed, created = sign_in(db, this_deployment(), body.message, body.signature,
                                      body.referral_code, now, asked_nonces=session.get("siwe_nonces", []),
                                      contract_wallets=contract_wallet_accepts)
            token = open_session(db, signed, now)
            answer = {"address": signed.address, "referral_code": signed.referral_code,
                      "created": created}
    except SignInError as refused:
        if refused.status == 401:  # a signature, nonce or binding that failed: an attempt
            limits.charge("sign_in_failure", limits.client())
        raise
    start_cookie(answer["address"], token)
    return reply(SignedIn, answer), 201 if created else 200


@operation(api.post, "/auth/logout", ok={200: SignedOut}, tag="auth")
def auth_logout():  # type: ignore[no-untyped-def]
    """Sign out: the session ends on the server, every copy of its cookie with it"""
    end_session(now_utc())
    return reply(SignedOut, {"signed_in": False})


@operation(api.get, "/me", ok={200: Me}, signed_in=True, tag="auth")
def me():  # type: ignore[no-untyped-def]
    """The signed-in player"""
    who = player()
    return reply(Me, {"address": who.address, "referral_code": who.referral_code, "xp": who.xp,
                      "admin": is_admin(who.address)})
