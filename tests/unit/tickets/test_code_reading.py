"""A signed code's body is read as ``base64.b32decode`` reads it (RFC 4648, upper case, no
padding), whatever text a scanner sends: the same bytes for every code, nothing for text
that is none."""

from __future__ import annotations

import base64
import binascii
import uuid

from hypothesis import given
from hypothesis import strategies as st

from aquastream.domain.tickets.codes import (
    PREFIX,
    RAW_LENGTH,
    SIGNATURE_LENGTH,
    VERSION,
    message_of,
    read_signed_code,
    signed_code,
)

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def _by_the_library(body: str) -> bytes | None:
    try:
        raw = base64.b32decode(body.upper() + "=" * (-len(body) % 8))
    except (binascii.Error, ValueError):
        return None
    return raw if len(raw) == RAW_LENGTH and raw[0] == VERSION else None


@given(st.uuids(), st.uuids(), st.uuids(), st.integers(0, 65535), st.binary(min_size=64, max_size=64))
def test_every_code_signed_reads_back_as_it_was_written(
    event_id: uuid.UUID, booking_id: uuid.UUID, ticket_id: uuid.UUID, seat: int, signature: bytes
) -> None:
    message = message_of(event_id, booking_id, ticket_id, seat)

    claim = read_signed_code(signed_code(message, signature))

    assert claim is not None
    assert (claim.event_id, claim.booking_id, claim.ticket_id, claim.seat) == (
        event_id,
        booking_id,
        ticket_id,
        seat,
    )
    assert (claim.message, claim.signature) == (message, signature)
    assert len(claim.signature) == SIGNATURE_LENGTH


@given(st.text(alphabet=ALPHABET + ALPHABET.lower() + "0189=-_ ", min_size=180, max_size=190))
def test_any_body_reads_as_the_library_reads_it(body: str) -> None:
    claim = read_signed_code(PREFIX + body)
    expected = _by_the_library(body.strip())

    assert (claim.message + claim.signature if claim else None) == expected


@given(st.binary(min_size=RAW_LENGTH - 1, max_size=RAW_LENGTH).map(lambda b: bytes([VERSION]) + b))
def test_bodies_of_any_length_near_a_codes_read_as_the_library_reads_them(raw: bytes) -> None:
    body = base64.b32encode(raw).decode().rstrip("=")

    claim = read_signed_code(PREFIX + body)

    assert (claim.message + claim.signature if claim else None) == _by_the_library(body)
