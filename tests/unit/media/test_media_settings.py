"""The media settings: local storage by default under the data folder, S3 only when complete."""

from __future__ import annotations

from pathlib import Path

import pytest

from aquastream.settings import SettingsError, load_settings

SECRET = "x" * 64


def test_media_is_local_under_the_data_folder_by_default(tmp_path: Path) -> None:
    settings = load_settings({"AQUASTREAM_DATA_DIR": str(tmp_path)}, env_file=None)
    assert settings.media_storage == "local"
    assert settings.media_path == tmp_path / "media"
    assert (settings.media_max_bytes, settings.media_link_ttl_seconds) == (25 * 1024 * 1024, 900)


def test_the_media_folder_can_be_chosen(tmp_path: Path) -> None:
    settings = load_settings(
        {"AQUASTREAM_MEDIA_DIR": str(tmp_path / "files"), "AQUASTREAM_DATA_DIR": str(tmp_path)}, env_file=None
    )
    assert settings.media_path == tmp_path / "files"


def test_s3_needs_a_bucket() -> None:
    with pytest.raises(SettingsError, match="AQUASTREAM_S3_BUCKET is required"):
        load_settings({"AQUASTREAM_MEDIA_STORAGE": "s3", "AQUASTREAM_JWT_SECRET": SECRET}, env_file=None)


def test_s3_in_production_needs_its_keys() -> None:
    base = {
        "AQUASTREAM_ENV": "production",
        "AQUASTREAM_JWT_SECRET": SECRET,
        "AQUASTREAM_MEDIA_STORAGE": "s3",
        "AQUASTREAM_S3_BUCKET": "media",
        # Production takes real payments: a real provider with its secrets.
        "AQUASTREAM_PAYMENTS_PROVIDER": "stripe",
        "AQUASTREAM_STRIPE_SECRET_KEY": "sk_live_x",
        "AQUASTREAM_STRIPE_WEBHOOK_SECRET": "whsec_x",
    }
    with pytest.raises(SettingsError, match="AQUASTREAM_S3_ACCESS_KEY_ID is required"):
        load_settings(base, env_file=None)
    with pytest.raises(SettingsError, match="AQUASTREAM_S3_SECRET_ACCESS_KEY is required"):
        load_settings({**base, "AQUASTREAM_S3_ACCESS_KEY_ID": "key"}, env_file=None)
    settings = load_settings(
        {**base, "AQUASTREAM_S3_ACCESS_KEY_ID": "key", "AQUASTREAM_S3_SECRET_ACCESS_KEY": "secret"},
        env_file=None,
    )
    assert (settings.media_storage, settings.s3_bucket) == ("s3", "media")


def test_an_unknown_storage_is_refused() -> None:
    with pytest.raises(SettingsError, match="AQUASTREAM_MEDIA_STORAGE"):
        load_settings({"AQUASTREAM_MEDIA_STORAGE": "ftp", "AQUASTREAM_JWT_SECRET": SECRET}, env_file=None)
