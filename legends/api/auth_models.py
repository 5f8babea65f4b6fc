"""Bodies of sign-in with Ethereum (EIP-4361): nonce, verify, logout, me."""

from __future__ import annotations

from pydantic import BaseModel, Field

from legends.api.contract import Reply
from legends.api.shared_models import Address, Moment


class Nonce(Reply):
    """A fresh nonce and the fields the signed message must carry."""

    nonce: str = Field(pattern=r"^[A-Za-z0-9]{8,}$")
    expires_at: Moment
    domain: str
    uri: str
    chain_id: int = Field(ge=1)
    statement: str
    version: str = Field(pattern=r"^1$")


class Verify(BaseModel):
    """The EIP-4361 message as signed, its signature and, on a first sign-in, who invited."""

    message: str = Field(min_length=1, max_length=4000)
    signature: str = Field(min_length=1, max_length=300)
    referral_code: str | None = Field(default=None, max_length=16)


class SignedIn(Reply):
    address: Address
    referral_code: str
    created: bool = Field(description="True on the player's first sign-in (answered with 201)")


class SignedOut(Reply):
    signed_in: bool


class Me(Reply):
    address: Address
    referral_code: str
    xp: int = Field(ge=0)
    admin: bool
