"""QR bank transfers through the API: the QR, the receipt, the moderation queue, the review."""

from __future__ import annotations

import base64
import io
from typing import Any

import zxingcpp
from PIL import Image

from tests.api.booking.kit import fresh
from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Account, Client, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import fetched, paid_booking, receipt, started
from tests.api.worker import drain_outbox, run_due_jobs

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def _submit(api: Client, payer: Account, payment: dict[str, Any], file_id: str) -> Any:
    return await api.post(
        f"{API}/payments/{payment['id']}/proof", json={"fileId": file_id}, headers=payer.auth
    )


async def _review(api: Client, account: Account, payment: dict[str, Any], **body: Any) -> Any:
    return await api.post(f"{API}/payments/{payment['id']}/review", json=body, headers=account.auth)


async def test_a_qr_payment_shows_the_unified_payload_and_its_png(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel)

    payment = await started(api, people.pavel, booking["id"], "QR_MANUAL")

    assert payment["provider"] == "manual"
    assert payment["confirmation"] is None
    assert payment["qr"]["payload"].startswith(
        "ST00012|Name=AquaStream Demo|PersonalAcc=40702810900000000001|"
    )
    assert "|Sum=150000|Purpose=" in payment["qr"]["payload"]
    assert base64.b64decode(payment["qr"]["pngBase64"]).startswith(PNG_SIGNATURE)
    listed = await fetched(api, people.pavel, "/payments")
    assert listed["items"][0]["qr"]["pngBase64"] is None


async def test_the_qr_image_carries_the_payload_as_utf8_for_bank_apps(
    api: Client, cast: Cast, people: People
) -> None:
    cyrillic_payee = {
        "name": "ИП Речникова",
        "account": "40702810000000000777",
        "bankName": "ПАО Сбербанк",
        "bic": "044525225",
        "correspondentAccount": "30101810400000000225",
    }
    saved = await api.put(
        f"{API}/organizers/river-rats/payment-details", json=cyrillic_payee, headers=cast.anna.auth
    )
    assert saved.status_code == 200, saved.text
    booking = await paid_booking(api, cast, people.pavel, title="Сплав по Мсте")

    qr = (await started(api, people.pavel, booking["id"], "QR_MANUAL"))["qr"]

    assert "|Name=ИП Речникова|" in qr["payload"]
    assert "Сплав по Мсте" in qr["payload"]
    image = Image.open(io.BytesIO(base64.b64decode(qr["pngBase64"])))
    (decoded,) = zxingcpp.read_barcodes(image)
    # The raw bytes, not the decoder's guess at their character set: what a bank app gets.
    assert decoded.bytes == qr["payload"].encode("utf-8")


async def test_receipt_review_and_confirmation(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"], "QR_MANUAL")

    submitted = await _submit(api, people.pavel, payment, await receipt(api, booking, people.pavel.id))
    assert (submitted.status_code, submitted.json()["status"]) == (200, "SUBMITTED")

    queue = await fetched(api, cast.anna, "/payments/moderation")
    assert [p["id"] for p in queue["items"]] == [payment["id"]]
    assert (await fetched(api, cast.boris, "/payments/moderation"))["items"] == []
    assert (await fetched(api, cast.root, "/payments/moderation"))["total"] == 1
    assert_problem(
        await api.get(f"{API}/payments/moderation", headers=people.pavel.auth), 403, "auth.forbidden"
    )

    rejected = await _review(api, cast.anna, payment, decision="REJECT", reason="The amount is wrong")
    assert (rejected.json()["status"], rejected.json()["rejectionReason"]) == (
        "REJECTED",
        "The amount is wrong",
    )
    again = await _submit(api, people.pavel, payment, await receipt(api, booking, people.pavel.id))
    assert again.json()["status"] == "SUBMITTED"

    approved = await _review(api, cast.anna, payment, decision="APPROVE")
    assert approved.json()["status"] == "SUCCEEDED"
    await drain_outbox(api)
    assert (await fetched(api, people.pavel, f"/bookings/{booking['id']}"))["status"] == "CONFIRMED"


async def test_receipt_and_review_errors(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"], "QR_MANUAL")

    someone_elses = await receipt(api, booking, people.rita.id)
    assert_problem(await _submit(api, people.pavel, payment, someone_elses), 422, "payment.invalid_proof")
    avatar = await receipt(api, booking, people.pavel.id, owner_type="avatar")
    assert_problem(await _submit(api, people.pavel, payment, avatar), 422, "payment.invalid_proof")
    unfinished = await receipt(api, booking, people.pavel.id, status="PENDING")
    assert_problem(await _submit(api, people.pavel, payment, unfinished), 422, "payment.invalid_proof")
    assert_problem(await _submit(api, people.pavel, payment, "not-a-uuid"), 400, "validation.failed")
    assert_problem(await _review(api, cast.anna, payment, decision="APPROVE"), 409, "payment.invalid_status")

    await _submit(api, people.pavel, payment, await receipt(api, booking, people.pavel.id))
    assert_problem(await _review(api, cast.anna, payment, decision="REJECT"), 400, "validation.failed")
    assert_problem(await _review(api, cast.anna, payment, decision="MAYBE"), 400, "validation.failed")
    assert_problem(await _review(api, people.pavel, payment, decision="APPROVE"), 403, "payment.forbidden")
    assert_problem(await _review(api, cast.boris, payment, decision="APPROVE"), 404, "payment.not_found")


async def test_a_card_payment_takes_no_receipt(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    card = await started(api, people.pavel, booking["id"])

    refused = await _submit(api, people.pavel, card, await receipt(api, booking, people.pavel.id))

    assert_problem(refused, 422, "payment.wrong_method")
    assert_problem(await _review(api, cast.anna, card, decision="APPROVE"), 422, "payment.wrong_method")


async def test_a_receipt_under_review_keeps_the_seat_past_the_hold(
    api: Client, cast: Cast, people: People, clock: Any
) -> None:
    booking = await paid_booking(api, cast, people.pavel, capacity=1)
    payment = await started(api, people.pavel, booking["id"], "QR_MANUAL")
    await _submit(api, people.pavel, payment, await receipt(api, booking, people.pavel.id))
    await run_due_jobs(api)

    clock.advance(hours=2)
    await run_due_jobs(api)
    (pavel,) = await fresh(api, people.pavel)
    kept = await fetched(api, pavel, f"/bookings/{booking['id']}")
    assert kept["status"] == "PENDING"
    assert kept["expiresAt"] == "2030-01-03T12:00:00Z"  # 48 h after the receipt


async def test_the_booking_shows_the_hold_in_force_while_a_receipt_is_reviewed(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    assert booking["expiresAt"] == "2030-01-01T12:30:00Z"  # the regular 30-minute hold
    payment = await started(api, people.pavel, booking["id"], "QR_MANUAL")
    await _submit(api, people.pavel, payment, await receipt(api, booking, people.pavel.id))
    await drain_outbox(api)  # no expiry job has run: the hold shows as soon as the receipt is in

    in_review = await fetched(api, people.pavel, f"/bookings/{booking['id']}")
    assert in_review["expiresAt"] == "2030-01-03T12:00:00Z"  # 48 h after the receipt

    await _review(api, cast.anna, payment, decision="REJECT", reason="The amount is wrong")
    await drain_outbox(api)
    rejected = await fetched(api, people.pavel, f"/bookings/{booking['id']}")
    assert rejected["expiresAt"] == "2030-01-01T12:30:00Z"  # a regular hold from the refusal
