"""Players and sign-in (EIP-4361): nonces, verification, first-sign-in registration."""

from __future__ import annotations

import base64
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from legends.auth.siwe import ContractVerifier, SiweMessage, SiweVerificationError, parse_message, verify
from legends.auth.siwe_grammar import SiweParseError
from legends.auth.store import SignInNonce
from quests.orm import Player
from quests.service import welcome_traveller

NONCE_TTL = timedelta(minutes=10)
CLOCK_SKEW = timedelta(minutes=2)  # how far ahead a wallet's clock may be of ours
DEFAULT_PORTS = {"http": 80, "https": 443}
STATEMENT = "Sign in to Sahara Legends."


class SignInError(Exception):
    """Sign-in refused; ``field`` names what was wrong, ``status`` the HTTP answer."""

    def __init__(self, message: str, field: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Deployment:
    """What a sign-in message must be bound to."""

    domain: str
    origin: str
    chain_id: int

    @classmethod
    def from_public_url(cls, public_url: str, chain_id: int) -> Deployment:
        parsed = urlparse(public_url)
        return cls(domain=parsed.netloc, origin=f"{parsed.scheme}://{parsed.netloc}",
                   chain_id=chain_id)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def issue_nonce(session: Session, now: datetime | None = None) -> SignInNonce:
    now = now or now_utc()
    row = SignInNonce(nonce=secrets.token_hex(8), issued_at=now, expires_at=now + NONCE_TTL)
    session.add(row)
    return row


def purge_nonces(session: Session, now: datetime | None = None) -> int:
    """Delete nonces past their expiry (used or not: either way they can never sign in
    again); returns how many. The scheduler calls it; nothing else needs the rows."""
    result = session.execute(delete(SignInNonce).where(SignInNonce.expires_at < (now or now_utc())))
    return int(result.rowcount or 0)


def _origin_of(uri: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of ``uri``, or None if it names credentials or a bad port: a
    ``user@host`` URI would read as ours to a prefix test while pointing elsewhere."""
    try:
        parsed = urlparse(uri)
        port = parsed.port
    except ValueError:
        return None
    scheme, host = parsed.scheme.lower(), (parsed.hostname or "").lower()
    if parsed.username is not None or parsed.password is not None or "@" in parsed.netloc:
        return None
    if not host or scheme not in DEFAULT_PORTS:
        return None
    return scheme, host, port or DEFAULT_PORTS[scheme]


def _check_uri(message: SiweMessage, deployment: Deployment) -> None:
    ours = _origin_of(deployment.origin)
    if ours is None or _origin_of(message.uri) != ours:
        raise SignInError(f"the message is for {message.uri}, not {deployment.origin}", "uri", 401)


def _check_times(message: SiweMessage, now: datetime) -> None:
    issued = message.issued_at_datetime
    if issued > now + CLOCK_SKEW:
        raise SignInError(f"the message is issued in the future ({message.issued_at})", "issued_at", 401)
    expires = message.expiration_datetime
    if expires is not None and expires <= issued:
        raise SignInError("the message expires before it was issued", "expiration_time", 401)


def _consume_nonce(session: Session, nonce: str, now: datetime) -> None:
    """Mark the nonce used; exactly one request can win, an expired one never."""
    row = session.scalar(select(SignInNonce).where(SignInNonce.nonce == nonce))
    if row is None:
        raise SignInError("unknown nonce: ask /api/auth/nonce for a fresh one", "nonce", 401)
    if _aware(row.expires_at) <= now:
        raise SignInError("the sign-in nonce has expired", "nonce", 401)
    used = session.execute(
        update(SignInNonce)
        .where(SignInNonce.id == row.id, SignInNonce.used_at.is_(None))
        .values(used_at=now)
    )
    if used.rowcount != 1:
        raise SignInError("this sign-in message was already used", "nonce", 401)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


FIELD_OF_CODE = {
    "domain_mismatch": "domain", "uri_mismatch": "uri", "chain_id_mismatch": "chain_id",
    "expired": "expiration_time", "not_yet_valid": "not_before", "invalid_signature": "signature",
    "nonce_mismatch": "nonce",
}


def sign_in(session: Session, deployment: Deployment, message_text: str, signature: str,
            referral_code: str | None = None, now: datetime | None = None, *,
            asked_nonces: Collection[str] | None = None,
            contract_wallets: ContractVerifier | None = None) -> tuple[Player, bool]:
    """Verify a signed EIP-4361 message and return (player, created).

    ``asked_nonces`` are the nonces this browser session asked for (kept in its cookie): a
    message signed for a nonce another session asked for is refused, so a signed message
    cannot be relayed into someone else's session. ``contract_wallets`` asks a smart-contract
    wallet (EIP-1271) when the signature is not the address's own key; whatever it raises
    (the chain is down) leaves the nonce unused."""
    now = now or now_utc()
    try:
        message: SiweMessage = parse_message(message_text)
    except SiweParseError as exc:
        raise SignInError(f"malformed sign-in message: {exc}", exc.field or "message") from None
    if asked_nonces is not None and message.nonce not in asked_nonces:
        raise SignInError("this nonce was not asked for by this session: ask /api/auth/nonce "
                          "with the same cookies", "nonce", 401)
    _check_uri(message, deployment)
    _check_times(message, now)
    try:
        verify(message, signature, domain=deployment.domain, chain_id=deployment.chain_id, now=now,
               contract_verifier=contract_wallets)
    except SiweVerificationError as exc:
        field = FIELD_OF_CODE.get(exc.code, exc.field or "message")
        raise SignInError(str(exc), field, 401 if exc.code != "malformed" else 400) from None
    _consume_nonce(session, message.nonce, now)
    player = session.scalar(select(Player).where(Player.address == message.address))
    if player is not None:
        player.last_seen_at = now
        return player, False
    referrer = None
    if referral_code:
        referrer = session.scalar(select(Player).where(Player.referral_code == referral_code))
        if referrer is None:
            raise SignInError("unknown referral code", "referral_code", 400)
    return _register(session, message.address, referrer.id if referrer else None, now)


REFERRAL_CODE_LENGTH = 12  # base32: 60 bits, so a collision is ~1e-6 likely over 1M sign-ups
CODE_ATTEMPTS = 5


def new_referral_code() -> str:
    """A referral code players can type: ``REFERRAL_CODE_LENGTH`` base32 characters."""
    return base64.b32encode(secrets.token_bytes(10)).decode()[:REFERRAL_CODE_LENGTH]


def _register(session: Session, address: str, referrer_id: int | None,
              now: datetime) -> tuple[Player, bool]:
    """Insert the new player; a referral code already taken is drawn again, and a wallet
    that signed in concurrently is found rather than refused. A new player's earlier suite
    logs are judged at once."""
    for _ in range(CODE_ATTEMPTS):
        player = Player(address=address, referral_code=new_referral_code(),
                        referred_by_id=referrer_id, xp=0, created_at=now, last_seen_at=now)
        try:
            with session.begin_nested():
                session.add(player)
        except IntegrityError:
            existing = session.scalar(select(Player).where(Player.address == address))
            if existing is not None:
                existing.last_seen_at = now
                return existing, False
            continue  # the code was taken: draw another
        welcome_traveller(session, player, now)  # what the wallet did before it signed in
        return player, True
    raise SignInError("could not register the player; try again", "referral_code", 503)
