"""The signature of a delivery, in the manner of Stripe's.

Header ``AquaStream-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256 keyed by the endpoint's secret over ``f"{t}.{body}"`` (the raw body bytes). During
the grace period of a rotation there are two ``v1`` values, one per secret: a receiver accepts
the request when any of them matches its secret. Receivers also refuse a ``t`` too far from
their clock (five minutes, say), which makes a captured request useless later.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

SIGNATURE_HEADER = "AquaStream-Signature"
EVENT_HEADER = "AquaStream-Event"
DELIVERY_HEADER = "AquaStream-Delivery"
DEFAULT_TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secrets: Sequence[str], timestamp: int, body: bytes) -> str:
    """``t=…,v1=…[,v1=…]``: one ``v1`` per secret, the current one first."""
    return ",".join([f"t={timestamp}", *(f"v1={signature(s, timestamp, body)}" for s in secrets)])


def verify(
    secret: str, header: str, body: bytes, *, now: int, tolerance: int = DEFAULT_TOLERANCE_SECONDS
) -> bool:
    """What a receiver does (the README's snippet is this function): some ``v1`` matches and
    ``t`` is within ``tolerance`` seconds of ``now``."""
    parts = [part.split("=", 1) for part in header.split(",") if "=" in part]
    timestamps = [value for key, value in parts if key.strip() == "t"]
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        return False
    timestamp = int(timestamps[0])
    if abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, value) for key, value in parts if key.strip() == "v1")
