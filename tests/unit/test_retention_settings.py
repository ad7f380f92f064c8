"""The retention periods of the audit log, of payment notifications and of the users' inbox:
their defaults, and the values that stop the start."""

from __future__ import annotations

from pathlib import Path

import pytest

from aquastream.settings import SettingsError, load_settings


def test_audit_entries_are_kept_180_days_and_notifications_90_by_default(tmp_path: Path) -> None:
    settings = load_settings({"AQUASTREAM_DATA_DIR": str(tmp_path)}, env_file=None)

    assert (settings.audit_retention_days, settings.webhook_retention_days) == (180, 90)


def test_the_periods_are_read_from_the_environment(tmp_path: Path) -> None:
    environment = {
        "AQUASTREAM_DATA_DIR": str(tmp_path),
        "AQUASTREAM_AUDIT_RETENTION_DAYS": "365",
        "AQUASTREAM_WEBHOOK_RETENTION_DAYS": "30",
    }

    settings = load_settings(environment, env_file=None)

    assert (settings.audit_retention_days, settings.webhook_retention_days) == (365, 30)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("AQUASTREAM_AUDIT_RETENTION_DAYS", "0"),
        # Shorter than a provider may resend a notification: its repeats would go unrecognised.
        ("AQUASTREAM_WEBHOOK_RETENTION_DAYS", "29"),
        ("AQUASTREAM_WEBHOOK_RETENTION_DAYS", "ninety"),
        # Shorter than the event spine may deliver a fact again: its repeat would be told again.
        ("AQUASTREAM_NOTIFICATION_INBOX_RETENTION_DAYS", "29"),
    ],
)
def test_a_period_too_short_or_not_a_number_stops_the_start(
    tmp_path: Path, variable: str, value: str
) -> None:
    with pytest.raises(SettingsError, match=variable):
        load_settings({"AQUASTREAM_DATA_DIR": str(tmp_path), variable: value}, env_file=None)


def test_the_inbox_keeps_180_days_by_default_and_takes_another_period(tmp_path: Path) -> None:
    default = load_settings({"AQUASTREAM_DATA_DIR": str(tmp_path)}, env_file=None)
    chosen = load_settings(
        {"AQUASTREAM_DATA_DIR": str(tmp_path), "AQUASTREAM_NOTIFICATION_INBOX_RETENTION_DAYS": "45"},
        env_file=None,
    )

    assert (default.notification_inbox_retention_days, chosen.notification_inbox_retention_days) == (180, 45)
