"""The compose file and the Containerfile run what the README says: a one-shot migration, two
API instances and two workers, read-only, on settings that exist, checked by the health check
that follows the command."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from dotenv import dotenv_values

from aquastream.settings import PREFIX, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = {PREFIX + field.upper() for field in Settings.__struct_fields__}


def _compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    return loaded


def test_compose_runs_postgres_redis_a_migration_two_apis_and_two_workers() -> None:
    services = _compose()["services"]
    commands = {name: service.get("command") for name, service in services.items()}

    assert {"postgres", "redis"} <= set(services)
    assert commands["migrate"] == ["migrate"]
    apis = [name for name, command in commands.items() if command and command[0] == "serve"]
    workers = [name for name, command in commands.items() if command == ["worker"]]
    assert len(apis) == 2
    assert len(workers) == 2
    for name in apis:
        assert "--no-worker" in commands[name]  # the workers do that work, and only they
    for name in [*apis, *workers]:
        service = services[name]
        assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
        assert service["read_only"] is True
        assert "/tmp" in service["tmpfs"]
        assert service["environment"]["AQUASTREAM_REDIS_URL"].startswith("redis://redis:")
        assert service["environment"]["AQUASTREAM_DATABASE_URL"].startswith("postgresql+asyncpg://")


def test_every_variable_compose_sets_is_a_setting() -> None:
    for name, service in _compose()["services"].items():
        for variable in service.get("environment", {}):
            if variable.startswith(PREFIX):
                assert variable in SETTINGS, f"{name} sets {variable}, which is no setting"


def _interpolated(value: str, given: dict[str, str]) -> str:
    """Compose's ``${NAME:-default}`` / ``${NAME:?error}`` with ``given`` as the shell's variables."""

    def one(match: re.Match[str]) -> str:
        name, kind, fallback = match["name"], match["kind"], match["rest"]
        if name in given:
            return given[name]
        assert kind == "-", f"compose needs {name}: {fallback}"
        return fallback or ""

    return re.sub(r"\$\{(?P<name>\w+)(?::(?P<kind>[-?])(?P<rest>[^}]*))?\}", one, value)


def test_compose_with_the_example_env_file_is_a_production_configuration_that_loads() -> None:
    shell = {"POSTGRES_PASSWORD": "pw", "AQUASTREAM_JWT_SECRET": "k" * 64}
    example = dotenv_values(ROOT / "deploy" / "aquastream.env.example")
    for service in ("api-1", "worker-1", "migrate"):
        environment = {k: v or "" for k, v in example.items()}
        environment.update(
            (name, _interpolated(str(value), shell))
            for name, value in _compose()["services"][service]["environment"].items()
        )
        environment |= {"AQUASTREAM_YOOKASSA_SHOP_ID": "123", "AQUASTREAM_YOOKASSA_SECRET_KEY": "live_x"}

        settings = load_settings(environment, env_file=None)

        assert settings.env == "production"
        assert settings.should_migrate_on_start is False
        assert settings.redis_url == "redis://redis:6379/0"


def test_every_variable_of_the_example_env_file_is_a_setting() -> None:
    for variable in dotenv_values(ROOT / "deploy" / "aquastream.env.example"):
        assert variable in SETTINGS, variable


def test_the_image_checks_its_health_by_what_it_runs() -> None:
    containerfile = (ROOT / "Containerfile").read_text(encoding="utf-8")
    healthcheck = next(line for line in containerfile.splitlines() if line.strip().startswith("CMD ["))

    assert '"aquastream.healthcheck"' in healthcheck
    assert "8000" not in healthcheck
