"""A participant always finds the way back to paying: booking responses carry ``actions``, the
open ``paymentId`` and ``payUrl``, and the pay link leads to the provider's page."""

from __future__ import annotations

from typing import Any

from tests.api.booking.kit import fresh
from tests.api.catalog.kit import API, Cast
from tests.api.identity.conftest import Client, assert_problem
from tests.api.payments.conftest import People
from tests.api.payments.kit import fetched, paid_booking, receipt, started
from tests.api.worker import drain_outbox


def _path(url: str) -> str:
    return url.removeprefix("http://localhost:8000")


async def test_a_new_paid_booking_says_what_to_do_and_where_to_pay(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel)

    assert booking["actions"] == ["PAY", "CANCEL"]
    assert booking["paymentId"] is None
    assert booking["payUrl"].startswith(f"{API}/payments/pay/{booking['id']}?token=")
    listed = (await fetched(api, people.pavel, "/bookings"))["items"]
    # The list names the event; the answer to POST /bookings leaves it out (``BookingOut``).
    assert [{**item, "event": None} for item in listed] == [booking]
    assert listed[0]["event"]["id"] == booking["eventId"]


async def test_the_pay_link_opens_a_card_payment_at_its_page_and_the_booking_points_to_it(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel)

    opened = await api.get(_path(booking["payUrl"]), follow_redirects=False)

    assert opened.status_code == 303, opened.text
    (payment,) = (await fetched(api, people.pavel, "/payments"))["items"]
    assert (payment["method"], payment["status"]) == ("WIDGET", "PENDING")
    assert opened.headers["location"] == payment["confirmation"]["url"]
    again = await api.get(_path(booking["payUrl"]), follow_redirects=False)
    assert again.headers["location"] == opened.headers["location"]  # the same payment goes on
    shown = await fetched(api, people.pavel, f"/bookings/{booking['id']}")
    assert (shown["paymentId"], shown["payUrl"]) == (payment["id"], payment["confirmation"]["url"])
    assert shown["actions"] == ["PAY", "CANCEL"]


async def test_the_sandbox_page_of_a_pay_link_pays_with_its_button(
    api: Client, cast: Cast, people: People
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    page_url = (await api.get(_path(booking["payUrl"]), follow_redirects=False)).headers["location"]

    page = await api.get(_path(page_url))
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "1500.00 RUB" in page.text
    assert '<form method="post">' in page.text
    clicked = await api.post(_path(page_url), headers={"content-type": "application/x-www-form-urlencoded"})
    assert clicked.status_code == 200, clicked.text
    await drain_outbox(api)

    paid = await fetched(api, people.pavel, f"/bookings/{booking['id']}")
    assert (paid["status"], paid["paymentStatus"], paid["actions"]) == ("CONFIRMED", "PAID", ["CANCEL"])
    assert (paid["paymentId"], paid["payUrl"]) == (None, None)


async def test_a_receipt_under_review_leaves_nothing_to_pay(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    payment = await started(api, people.pavel, booking["id"], "QR_MANUAL")
    proof = {"fileId": await receipt(api, booking, people.pavel.id)}
    await api.post(f"{API}/payments/{payment['id']}/proof", json=proof, headers=people.pavel.auth)

    shown = await fetched(api, people.pavel, f"/bookings/{booking['id']}")
    assert (shown["actions"], shown["paymentId"], shown["payUrl"]) == (["CANCEL"], payment["id"], None)
    refused = await api.get(_path(booking["payUrl"]), follow_redirects=False)
    assert_problem(refused, 409, "payment.already_open")


async def test_a_forged_or_foreign_pay_link_is_not_found(api: Client, cast: Cast, people: People) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    other = await paid_booking(api, cast, people.rita)
    token = booking["payUrl"].split("token=")[1]

    for url in (
        f"{API}/payments/pay/{booking['id']}?token=forged",
        f"{API}/payments/pay/{other['id']}?token={token}",
    ):
        assert_problem(await api.get(url, follow_redirects=False), 404, "payment.link_invalid")
    assert_problem(await api.get(f"{API}/payments/pay/{booking['id']}"), 400, "validation.failed")
    assert (await fetched(api, people.pavel, "/payments"))["total"] == 0


async def test_a_lapsed_hold_has_no_pay_link_and_its_link_refuses(
    api: Client, cast: Cast, people: People, clock: Any
) -> None:
    booking = await paid_booking(api, cast, people.pavel)
    clock.advance(minutes=31)
    (pavel,) = await fresh(api, people.pavel)  # the access token lapsed too

    shown = await fetched(api, pavel, f"/bookings/{booking['id']}")
    assert (shown["actions"], shown["payUrl"]) == (["CANCEL"], None)
    refused = await api.get(_path(booking["payUrl"]), follow_redirects=False)
    assert_problem(refused, 409, "payment.booking_not_payable")
