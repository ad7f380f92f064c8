"""Booking's ``PayLinks``: ``<public url>/api/v1/payments/pay/<booking id>?token=<signature>``,
a link that starts paying a booking without a login (the signature stands for the booking's
owner, as a calendar feed's token does), opened from a message or the app."""

from __future__ import annotations

import uuid

from aquastream.adapters.crypto.signing import HmacSigner

PAY_LINK_PATH = "/api/v1/payments/pay/{booking_id}"


class SignedPayLinks:
    def __init__(self, secret: str, public_url: str) -> None:
        self._signer = HmacSigner(secret, b"aquastream pay links")
        self._base = public_url.rstrip("/")

    def link_for(self, booking_id: uuid.UUID) -> str:
        path = PAY_LINK_PATH.format(booking_id=booking_id)
        return f"{self._base}{path}?token={self._signer.sign(f'pay:{booking_id}')}"

    def verify(self, booking_id: uuid.UUID, token: str) -> bool:
        return self._signer.verify(f"pay:{booking_id}", token)
