"""The ticket codes: a signed code for the QR image that a scanner verifies offline, and a
short code for people to type.

Signed code (version 1), as the QR image carries it::

    AQT1:<BASE32(message ‖ signature)>          (RFC 4648 alphabet, upper case, no padding)

    message   = 0x01 (version, 1 byte)
              ‖ event id (16 bytes) ‖ booking id (16 bytes) ‖ ticket id (16 bytes)
              ‖ seat number (2 bytes, big-endian; 0 the holder, 1… companions)
    signature = Ed25519(organizer's private key, message)   (64 bytes)

189 characters in all, every one in the QR alphanumeric set (a smaller symbol than bytes).
A scanner verifies it with the organizer's public key alone
(``GET /api/v1/organizers/{slug or id}/ticket-key``); docs/tickets.md has a snippet.

Short code: 8 characters of Crockford's base32 (no I, L, O, U), random, unique within the
event. Typed at the door when a QR image cannot be read; read back case-insensitively, with
dashes and spaces ignored and I/L read as 1, O as 0.
"""

from __future__ import annotations

import base64
import re
import secrets
import uuid
from dataclasses import dataclass

PREFIX = "AQT1:"
VERSION = 1
MESSAGE_LENGTH = 1 + 16 * 3 + 2
SIGNATURE_LENGTH = 64
SHORT_CODE_LENGTH = 8
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = str.maketrans({"I": "1", "L": "1", "O": "0", "-": None, " ": None})
RAW_LENGTH = MESSAGE_LENGTH + SIGNATURE_LENGTH
BODY_LENGTH = -(-RAW_LENGTH * 8 // 5)  # base32 characters of a signed code, without padding
_BASE32 = re.compile("[A-Z2-7]*")
# RFC 4648's base32 alphabet, digit for digit, as ``int(…, 32)`` reads base 32 (0-9, A-V).
_AS_INT_DIGITS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789ABCDEFGHIJKLMNOPQRSTUV")


@dataclass(frozen=True, slots=True)
class TicketClaim:
    """What a signed code says: which seat of which booking of which event, and by whom it
    claims to be signed (``signature`` over ``message``)."""

    event_id: uuid.UUID
    booking_id: uuid.UUID
    ticket_id: uuid.UUID
    seat: int
    message: bytes
    signature: bytes


def message_of(event_id: uuid.UUID, booking_id: uuid.UUID, ticket_id: uuid.UUID, seat: int) -> bytes:
    return bytes([VERSION]) + event_id.bytes + booking_id.bytes + ticket_id.bytes + seat.to_bytes(2, "big")


def signed_code(message: bytes, signature: bytes) -> str:
    return PREFIX + base64.b32encode(message + signature).decode().rstrip("=")


def read_signed_code(text: str) -> TicketClaim | None:
    """The claim a signed code makes (not yet verified), or None when it is no signed code
    of a version this service knows."""
    text = text.strip()
    if not text.upper().startswith(PREFIX):
        return None
    raw = _raw(text[len(PREFIX) :].upper())
    if raw is None or raw[0] != VERSION:
        return None
    message, signature = raw[:MESSAGE_LENGTH], raw[MESSAGE_LENGTH:]
    return TicketClaim(
        event_id=uuid.UUID(bytes=message[1:17]),
        booking_id=uuid.UUID(bytes=message[17:33]),
        ticket_id=uuid.UUID(bytes=message[33:49]),
        seat=int.from_bytes(message[49:51], "big"),
        message=message,
        signature=signature,
    )


def new_short_code() -> str:
    return "".join(secrets.choice(CROCKFORD) for _ in range(SHORT_CODE_LENGTH))


def read_short_code(text: str) -> str | None:
    """The short code as stored, or None when ``text`` cannot be one."""
    code = text.strip().upper().translate(_READ_AS)
    if len(code) != SHORT_CODE_LENGTH or any(c not in CROCKFORD for c in code):
        return None
    return code


def _raw(body: str) -> bytes | None:
    """The bytes of a signed code's base32 body, or None unless it is one of exactly
    ``RAW_LENGTH`` bytes (as ``base64.b32decode`` reads it, whose pure-Python loop was a
    fiftieth of a check-in's time: the body is read as one base-32 integer instead)."""
    if len(body) != BODY_LENGTH or not _BASE32.fullmatch(body):
        return None
    spare_bits = BODY_LENGTH * 5 - RAW_LENGTH * 8  # of the last character, unused
    return (int(body.translate(_AS_INT_DIGITS), 32) >> spare_bits).to_bytes(RAW_LENGTH, "big")
