"""The log-only recovery sender: says which channel a code would take, shows it only in development."""

from __future__ import annotations

import logging

import pytest

from aquastream.adapters.notify.recovery import LogRecoveryCodeSender


async def test_codes_are_not_logged_by_default(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="aquastream.notify")

    await LogRecoveryCodeSender().send_recovery_code(
        email="ivan@example.com", telegram_chat_id=None, code="482913"
    )

    assert "482913" not in caplog.text
    assert "ivan@example.com" not in caplog.text
    assert "i***@example.com" in caplog.text
    assert "by email" in caplog.text
    assert caplog.records[0].name == "aquastream.notify"


async def test_a_linked_chat_is_named_as_the_channel(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="aquastream.notify")

    await LogRecoveryCodeSender().send_recovery_code(
        email="ivan@example.com", telegram_chat_id=77, code="482913"
    )

    assert "by telegram" in caplog.text


async def test_development_can_reveal_the_code(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="aquastream.notify")

    await LogRecoveryCodeSender(reveal_codes=True).send_recovery_code(
        email="ivan@example.com", telegram_chat_id=None, code="482913"
    )

    assert "482913" in caplog.text
    assert "ivan@example.com" in caplog.text


async def test_development_reveals_an_email_verification_code_too(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="aquastream.notify")

    await LogRecoveryCodeSender(reveal_codes=True).send_verification_code(
        email="ivan@example.com", code="570213"
    )

    assert "Email-verification code 570213 for ivan@example.com" in caplog.text
