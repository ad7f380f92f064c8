"""Message texts in Russian (the default) and English, one entry per template name.

A template is a title (the email subject) and a body; ``{placeholders}`` are filled from a
notice's params, and with an event the params also carry ``event_title`` and
``event_start``. Times are written in UTC: the system does not know a user's time zone.
A new category's message is one entry here plus one rule in ``ioc/notifications.py``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from aquastream.domain.notifications.model import EventSummary, Language


@dataclass(frozen=True, slots=True)
class Template:
    title: str
    body: str


TEMPLATES: Mapping[str, Mapping[Language, Template]] = {
    "booking_created": {
        Language.RU: Template(
            "Бронь создана: {event_title}",
            "Вы забронировали место на «{event_title}» ({event_start}). "
            "Оплатите до {expires_at}, иначе бронь будет снята: {pay_url}",
        ),
        Language.EN: Template(
            "Booking created: {event_title}",
            "You booked a seat for “{event_title}” ({event_start}). "
            "Pay by {expires_at} or the booking is released: {pay_url}",
        ),
    },
    # A booking made before its facts carried the link to pay.
    "booking_created_unlinked": {
        Language.RU: Template(
            "Бронь создана: {event_title}",
            "Вы забронировали место на «{event_title}» ({event_start}). "
            "Оплатите до {expires_at}, иначе бронь будет снята.",
        ),
        Language.EN: Template(
            "Booking created: {event_title}",
            "You booked a seat for “{event_title}” ({event_start}). "
            "Pay by {expires_at} or the booking is released.",
        ),
    },
    "booking_confirmed": {
        Language.RU: Template(
            "Бронь подтверждена: {event_title}",
            "Ваше место на «{event_title}» ({event_start}) подтверждено. До встречи!",
        ),
        Language.EN: Template(
            "Booking confirmed: {event_title}",
            "Your seat for “{event_title}” ({event_start}) is confirmed. See you there!",
        ),
    },
    # Since tickets: the confirmation links the booking's tickets and their QR codes.
    "booking_confirmed_tickets": {
        Language.RU: Template(
            "Бронь подтверждена: {event_title}",
            "Ваше место на «{event_title}» ({event_start}) подтверждено. "
            "Билеты с QR-кодами: {tickets_url} До встречи!",
        ),
        Language.EN: Template(
            "Booking confirmed: {event_title}",
            "Your seat for “{event_title}” ({event_start}) is confirmed. "
            "Your tickets with their QR codes: {tickets_url} See you there!",
        ),
    },
    "booking_cancelled": {
        Language.RU: Template(
            "Бронь отменена: {event_title}",
            "Ваша бронь на «{event_title}» ({event_start}) отменена.",
        ),
        Language.EN: Template(
            "Booking cancelled: {event_title}",
            "Your booking for “{event_title}” ({event_start}) was cancelled.",
        ),
    },
    "booking_cancelled_by_organizer": {
        Language.RU: Template(
            "Организатор отменил бронь: {event_title}",
            "Организатор отменил вашу бронь на «{event_title}» ({event_start}). "
            "Если вы платили, деньги вернутся.",
        ),
        Language.EN: Template(
            "The organizer cancelled your booking: {event_title}",
            "The organizer cancelled your booking for “{event_title}” ({event_start}). "
            "If you paid, you will be refunded.",
        ),
    },
    "event_cancelled": {
        Language.RU: Template(
            "Событие отменено: {event_title}",
            "«{event_title}» ({event_start}) отменено организатором, ваша бронь снята. "
            "Если вы платили, деньги вернутся.",
        ),
        Language.EN: Template(
            "Event cancelled: {event_title}",
            "“{event_title}” ({event_start}) was cancelled by the organizer and your booking with it. "
            "If you paid, you will be refunded.",
        ),
    },
    "waitlist_event_cancelled": {
        Language.RU: Template(
            "Событие отменено: {event_title}",
            "«{event_title}» ({event_start}) отменено организатором, лист ожидания закрыт.",
        ),
        Language.EN: Template(
            "Event cancelled: {event_title}",
            "“{event_title}” ({event_start}) was cancelled by the organizer; its waitlist is closed.",
        ),
    },
    "booking_expired": {
        Language.RU: Template(
            "Бронь истекла: {event_title}",
            "Оплата брони на «{event_title}» не поступила вовремя, место освобождено.",
        ),
        Language.EN: Template(
            "Booking expired: {event_title}",
            "The booking for “{event_title}” was not paid in time and its seat was released.",
        ),
    },
    "waitlist_available": {
        Language.RU: Template(
            "Освободилось место: {event_title}",
            "Для вас освободилось место на «{event_title}» ({event_start}). "
            "Оно держится до {window_expires_at}, успейте забронировать!",
        ),
        Language.EN: Template(
            "A seat is free: {event_title}",
            "A seat for “{event_title}” ({event_start}) is held for you until {window_expires_at}. Book it!",
        ),
    },
    "event_reminder_24h": {
        Language.RU: Template(
            "Завтра: {event_title}",
            "Напоминаем: «{event_title}» начинается {event_start}.",
        ),
        Language.EN: Template(
            "Tomorrow: {event_title}",
            "A reminder: “{event_title}” starts {event_start}.",
        ),
    },
    "event_reminder_48h": {
        Language.RU: Template(
            "Через два дня: {event_title}",
            "Напоминаем: «{event_title}» начинается {event_start}. Пора собираться!",
        ),
        Language.EN: Template(
            "In two days: {event_title}",
            "A reminder: “{event_title}” starts {event_start}. Time to pack!",
        ),
    },
    "event_news": {
        Language.RU: Template("Новости «{event_title}»", "{text}"),
        Language.EN: Template("News of “{event_title}”", "{text}"),
    },
    "payment_succeeded": {
        Language.RU: Template(
            "Оплата получена: {event_title}", "Мы получили оплату брони на «{event_title}»: {amount}."
        ),
        Language.EN: Template(
            "Payment received: {event_title}",
            "We received the payment for your booking of “{event_title}”: {amount}.",
        ),
    },
    "payment_failed": {
        Language.RU: Template(
            "Оплата не прошла",
            "Оплата брони не прошла. Попробуйте ещё раз, пока бронь действует.",
        ),
        Language.EN: Template(
            "Payment failed",
            "The payment for your booking did not go through. Try again while the booking is held.",
        ),
    },
    "payment_rejected": {
        Language.RU: Template(
            "Чек не принят",
            "Организатор не принял чек об оплате: {reason}. Загрузите другой, пока бронь действует.",
        ),
        Language.EN: Template(
            "Receipt not accepted",
            "The organizer did not accept your payment receipt: {reason}. "
            "Upload another while the booking is held.",
        ),
    },
    "payment_refunded": {
        Language.RU: Template("Возврат оплаты", "Мы вернули вам {amount}."),
        Language.EN: Template("Payment refunded", "We refunded {amount} to you."),
    },
    "payment_refunded_manually": {
        Language.RU: Template("Возврат оплаты", "Организатор вернёт вам {amount} переводом."),
        Language.EN: Template("Payment refunded", "The organizer will transfer {amount} back to you."),
    },
    "payment_seat_lost": {
        Language.RU: Template(
            "Место не сохранилось: {event_title}",
            "Оплата пришла после окончания брони на «{event_title}», а свободных мест уже нет. "
            "Деньги вернутся автоматически.",
        ),
        Language.EN: Template(
            "No seat left: {event_title}",
            "Your payment for “{event_title}” arrived after the booking's hold ended and no seat "
            "was free any more. The money is refunded automatically.",
        ),
    },
    "crew_assignment": {
        Language.RU: Template("Распределение: {event_title}", "Ваше место на «{event_title}»: {crew}."),
        Language.EN: Template("Your place: {event_title}", "For “{event_title}” you are in: {crew}."),
    },
    "admin_test": {
        Language.RU: Template("Тестовое сообщение AquaStream", "{text}"),
        Language.EN: Template("AquaStream test message", "{text}"),
    },
    # What an administrator did to the account (category ACCOUNT). ``role`` is the role's
    # name as the API spells it (USER, ORGANIZER, ADMIN).
    "account_role_changed": {
        Language.RU: Template(
            "Ваша роль изменена",
            "Администратор AquaStream изменил роль вашего аккаунта: теперь это {role}. "
            "Войдите в аккаунт заново.",
        ),
        Language.EN: Template(
            "Your role has changed",
            "An AquaStream administrator changed your account's role to {role}. Please log in again.",
        ),
    },
    "account_blocked": {
        Language.RU: Template(
            "Аккаунт заблокирован",
            "Администратор AquaStream заблокировал ваш аккаунт: войти в него нельзя. "
            "Если это ошибка, напишите в поддержку.",
        ),
        Language.EN: Template(
            "Your account is blocked",
            "An AquaStream administrator blocked your account: it cannot be logged in to. "
            "If this is a mistake, contact support.",
        ),
    },
    "account_unblocked": {
        Language.RU: Template(
            "Аккаунт разблокирован",
            "Администратор AquaStream разблокировал ваш аккаунт: вы снова можете войти.",
        ),
        Language.EN: Template(
            "Your account is unblocked",
            "An AquaStream administrator unblocked your account: you can log in again.",
        ),
    },
}

_UNKNOWN_EVENT = {Language.RU: "событие", Language.EN: "the event"}


def format_time(moment: datetime) -> str:
    return moment.strftime("%d.%m.%Y %H:%M UTC")


def render(
    name: str,
    language: Language,
    params: Mapping[str, str | datetime],
    event: EventSummary | None = None,
) -> Template:
    """The template filled in; a missing placeholder is a programming error (``KeyError``).

    Values are inserted as they are: a news text with braces in it stays as typed.
    """
    template = TEMPLATES[name][language]
    values = {key: format_time(v) if isinstance(v, datetime) else v for key, v in params.items()}
    values.setdefault("event_title", event.title if event else _UNKNOWN_EVENT[language])
    values.setdefault("event_start", format_time(event.starts_at) if event else "—")
    return Template(template.title.format_map(values), template.body.format_map(values))
