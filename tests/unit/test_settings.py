"""Settings come from the environment and a .env file, and bad values stop the start."""

from __future__ import annotations

from pathlib import Path

import pytest

from aquastream.settings import DOMAINS, Settings, SettingsError, load_settings, settings_table


def test_defaults_need_no_configuration(tmp_path: Path) -> None:
    settings = load_settings({"AQUASTREAM_DATA_DIR": str(tmp_path)}, env_file=None)
    assert settings.database_url == "sqlite+aiosqlite:///./aquastream.db"
    assert settings.is_sqlite
    assert settings.should_migrate_on_start
    assert settings.access_token_ttl_seconds == 900
    assert settings.refresh_token_ttl_seconds == 2_592_000


def test_development_secret_is_generated_once_and_kept(tmp_path: Path) -> None:
    first = load_settings({"AQUASTREAM_DATA_DIR": str(tmp_path)}, env_file=None)
    second = load_settings({"AQUASTREAM_DATA_DIR": str(tmp_path)}, env_file=None)
    assert len(first.secret) >= 64
    assert first.secret == second.secret
    assert (tmp_path / "jwt-secret").stat().st_mode & 0o077 == 0


def test_a_data_folder_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(
        SettingsError, match=r"AQUASTREAM_DATA_DIR=.*a-file/data.*expected a folder this user"
    ):
        load_settings({"AQUASTREAM_DATA_DIR": str(tmp_path / "a-file" / "data")}, env_file=None)


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="AQUASTREAM_JWT_SECRET is required"):
        load_settings({"AQUASTREAM_ENV": "production", "AQUASTREAM_DATA_DIR": str(tmp_path)}, env_file=None)


def test_short_secret_is_refused() -> None:
    with pytest.raises(SettingsError, match="at least 64"):
        load_settings({"AQUASTREAM_JWT_SECRET": "short"}, env_file=None)


def test_bad_values_name_the_variable() -> None:
    with pytest.raises(SettingsError, match="AQUASTREAM_ACCESS_TOKEN_TTL_SECONDS"):
        load_settings({"AQUASTREAM_ACCESS_TOKEN_TTL_SECONDS": "soon"}, env_file=None)
    with pytest.raises(SettingsError, match="AQUASTREAM_ENV"):
        load_settings({"AQUASTREAM_ENV": "staging"}, env_file=None)


def test_revoked_tokens_cannot_be_read_more_rarely_than_the_revocation_bound_allows(tmp_path: Path) -> None:
    assert (
        load_settings({"AQUASTREAM_DATA_DIR": str(tmp_path)}, env_file=None).access_revocation_poll_seconds
        == 1
    )
    for too_rare_or_never in ("2.5", "0"):
        with pytest.raises(SettingsError, match="AQUASTREAM_ACCESS_REVOCATION_POLL_SECONDS"):
            load_settings({"AQUASTREAM_ACCESS_REVOCATION_POLL_SECONDS": too_rare_or_never}, env_file=None)


def test_unknown_variables_with_the_prefix_are_a_warning_naming_the_closest_setting(tmp_path: Path) -> None:
    warnings: list[str] = []
    settings = load_settings(
        {
            "AQUASTREAM_DATA_DIR": str(tmp_path),
            "AQUASTREAM_DATABSE_URL": "x",
            "AQUASTREAM_LOG_LEVL": "DEBUG",
            "AQUASTREAM_LOG_LEVEL": "WARNING",
        },
        env_file=None,
        warn=warnings.append,
    )
    assert settings.log_level == "WARNING"
    assert sorted(warnings) == [
        "AQUASTREAM_DATABSE_URL is not a known setting and is ignored; the closest one is "
        "AQUASTREAM_DATABASE_URL (see `aquastream config`).",
        "AQUASTREAM_LOG_LEVL is not a known setting and is ignored; the closest one is "
        "AQUASTREAM_LOG_LEVEL (see `aquastream config`).",
    ]


def test_the_test_suite_variables_and_the_admin_password_are_accepted_silently(tmp_path: Path) -> None:
    warnings: list[str] = []
    load_settings(
        {
            "AQUASTREAM_DATA_DIR": str(tmp_path),
            "AQUASTREAM_TEST_DATABASE_URL": "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres",
            "AQUASTREAM_TEST_REDIS_URL": "redis://127.0.0.1:6379/0",
            "AQUASTREAM_TEST_DOMAIN_ROLES": "1",
            "AQUASTREAM_ADMIN_PASSWORD": "Paddle-Hard-2030!",
        },
        env_file=None,
        warn=warnings.append,
    )
    assert warnings == []


def test_env_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text(
        "AQUASTREAM_CORS_ORIGINS=https://a.example, https://b.example\n"
        "AQUASTREAM_LOG_LEVEL=DEBUG\n"
        f"AQUASTREAM_DATA_DIR={tmp_path}\n"
    )
    settings = load_settings({"AQUASTREAM_LOG_LEVEL": "WARNING"}, env_file=env_file)
    assert settings.cors_origins == ["https://a.example", "https://b.example"]
    assert settings.log_level == "WARNING"


def test_postgres_is_not_migrated_on_start_unless_asked(tmp_path: Path) -> None:
    base = {"AQUASTREAM_DATA_DIR": str(tmp_path), "AQUASTREAM_DATABASE_URL": "postgresql+asyncpg://db/x"}
    assert not load_settings(base, env_file=None).should_migrate_on_start
    asked = load_settings({**base, "AQUASTREAM_MIGRATE_ON_START": "true"}, env_file=None)
    assert asked.should_migrate_on_start


def test_empty_optional_value_means_unset(tmp_path: Path) -> None:
    settings = load_settings(
        {"AQUASTREAM_DATA_DIR": str(tmp_path), "AQUASTREAM_REDIS_URL": ""}, env_file=None
    )
    assert settings.redis_url is None


def test_reference_table_lists_every_setting() -> None:
    table = settings_table()
    assert "`AQUASTREAM_DATABASE_URL`" in table
    assert "`AQUASTREAM_JWT_SECRET`" in table
    assert table.count("\n| `AQUASTREAM_") >= 30


def test_a_worker_serves_the_domains_it_is_given_or_all() -> None:
    assert Settings.for_tests().worker_domain_set == DOMAINS
    named = Settings.for_tests(worker_domains=" notifications, media ")
    assert named.worker_domain_set == {"notifications", "media"}


def test_an_unknown_worker_domain_stops_the_start_naming_the_variable() -> None:
    with pytest.raises(SettingsError, match=r"AQUASTREAM_WORKER_DOMAINS names unknown domains \(mail\)"):
        load_settings({"AQUASTREAM_WORKER_DOMAINS": "notifications,mail"}, env_file=None)
