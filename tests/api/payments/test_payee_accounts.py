"""``/organizers/{slug}/payment-details``: an organizer's own bank account for QR transfers."""

from __future__ import annotations

from typing import Any

from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Client, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import paid_booking, started

DETAILS = f"{API}/organizers/river-rats/payment-details"
ACCOUNT: dict[str, Any] = {
    "name": "River Rats LLC",
    "account": "40702810000000000777",
    "bankName": "T-Bank",
    "bic": "044525974",
    "correspondentAccount": "30101810145250000974",
}


async def test_the_owner_sets_the_account_new_qr_payments_use(
    api: Client, cast: Cast, people: People
) -> None:
    assert (await api.get(DETAILS, headers=cast.anna.auth)).status_code == 204

    saved = await api.put(DETAILS, json=ACCOUNT, headers=cast.anna.auth)
    assert (saved.status_code, saved.json()) == (200, ACCOUNT)
    assert (await api.get(DETAILS, headers=cast.root.auth)).json() == ACCOUNT

    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"], "QR_MANUAL")
    assert payment["qr"]["payload"].startswith(
        "ST00012|Name=River Rats LLC|PersonalAcc=40702810000000000777|"
    )


async def test_payee_account_errors(api: Client, cast: Cast, people: People) -> None:
    assert_problem(await api.put(DETAILS, json=ACCOUNT, headers=cast.boris.auth), 403, "payment.forbidden")
    assert_problem(await api.get(DETAILS, headers=people.pavel.auth), 403, "payment.forbidden")
    missing = await api.put(f"{API}/organizers/nobody/payment-details", json=ACCOUNT, headers=cast.root.auth)
    assert_problem(missing, 404, "organizer.not_found")
    bad = assert_problem(
        await api.put(DETAILS, json={**ACCOUNT, "bic": "12345678X"}, headers=cast.anna.auth),
        400,
        "validation.failed",
    )
    assert [error["field"] for error in bad["errors"]] == ["bic"]
    assert_problem(
        await api.put(DETAILS, json={"name": "x"}, headers=cast.anna.auth), 400, "validation.failed"
    )
    assert_problem(await api.get(DETAILS), 401, "auth.unauthenticated")
