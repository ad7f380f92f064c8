"""The pure rules: forward-only provider reports, the unified QR payload, masking."""

from __future__ import annotations

from decimal import Decimal

from aquastream.domain.payments.masking import mask
from aquastream.domain.payments.model import PaymentStatus, ProviderStatus, reported_transition
from aquastream.domain.payments.qr import unified_payload
from tests.unit.payments.payments_world import ACCOUNT


def test_a_report_never_moves_a_settled_payment_back() -> None:
    processing = reported_transition(ProviderStatus.PROCESSING)
    succeeded = reported_transition(ProviderStatus.SUCCEEDED)
    failed = reported_transition(ProviderStatus.FAILED)

    assert reported_transition(ProviderStatus.PENDING) is None
    assert processing == (frozenset({PaymentStatus.PENDING}), PaymentStatus.PROCESSING)
    assert succeeded is not None
    assert PaymentStatus.SUCCEEDED not in succeeded[0]
    assert PaymentStatus.REFUNDED not in succeeded[0]
    assert failed is not None
    assert PaymentStatus.SUCCEEDED not in failed[0]


def test_the_qr_payload_keeps_field_separators_out_of_values() -> None:
    payload = unified_payload(ACCOUNT, Decimal("99.90"), "Trip|to the river\nand back")

    assert payload.endswith("|Sum=9990|Purpose=Trip to the river and back")
    assert payload.count("|") == 7


def test_masking_hides_secrets_at_any_depth_and_keeps_the_rest() -> None:
    payload = {"object": {"payment_method": {"card": {"first6": "411111", "last4": "1111"}}}, "Token": "t"}

    assert mask(payload) == {
        "object": {"payment_method": {"card": {"first6": "***", "last4": "1111"}}},
        "Token": "***",
    }
    assert mask([{"cvv": 123}, "plain"]) == [{"cvv": "***"}, "plain"]
