"""Typed settings, read once from the environment (prefix ``AQUASTREAM_``) and a ``.env`` file.

Every field documents itself; ``aquastream config`` prints the table the README shows.
Values are validated at start: a bad value stops the process with one sentence that names
the variable, what is wrong and the form expected (never a secret: URLs are shown without
their password), and production mode refuses to start without its secrets. A variable
with the prefix that is no setting is only a warning, naming the closest known one.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from dotenv import dotenv_values

from aquastream.settings_checks import (
    closest_name,
    database_url_problem,
    log_level_problem,
    proxies_problem,
    rate_limit_problem,
    redact_url,
    redis_url_problem,
)

PREFIX = "AQUASTREAM_"
# Variables with the prefix that are read, but are no settings: create-admin's password, and
# the test suite's servers (``AQUASTREAM_TEST_DATABASE_URL`` and the like).
OTHER_VARIABLES = frozenset({f"{PREFIX}ADMIN_PASSWORD"})
OTHER_PREFIXES = (f"{PREFIX}TEST_",)


def _doc(text: str) -> msgspec.Meta:
    return msgspec.Meta(description=text)


# The domains of the service; a worker may serve some of them (``worker_domains``).
DOMAINS = frozenset(
    {"identity", "catalog", "booking", "payments", "notifications", "crews", "media", "webhooks", "tickets"}
)


class SettingsError(Exception):
    """The configuration is not usable; the message says which variable and why."""


class Settings(msgspec.Struct, kw_only=True, frozen=True):
    env: Annotated[
        Literal["development", "production", "test"],
        _doc("`development` (embedded defaults), `production` (secrets required) or `test`."),
    ] = "development"
    database_url: Annotated[
        str,
        _doc(
            "SQLAlchemy URL: `sqlite+aiosqlite:///path.db` (embedded) or "
            "`postgresql+asyncpg://user:pass@host:5432/db`."
        ),
    ] = "sqlite+aiosqlite:///./aquastream.db"
    database_url_identity: Annotated[
        str | None,
        _doc("Database URL for identity's schema (a role that sees only it); unset: `DATABASE_URL`."),
    ] = None
    database_url_catalog: Annotated[
        str | None, _doc("Database URL for catalog's schema; unset: `DATABASE_URL`.")
    ] = None
    database_url_booking: Annotated[
        str | None, _doc("Database URL for booking's schema; unset: `DATABASE_URL`.")
    ] = None
    database_url_payments: Annotated[
        str | None, _doc("Database URL for payments' schema; unset: `DATABASE_URL`.")
    ] = None
    database_url_notifications: Annotated[
        str | None, _doc("Database URL for notifications' schema; unset: `DATABASE_URL`.")
    ] = None
    database_url_crews: Annotated[
        str | None, _doc("Database URL for crews' schema; unset: `DATABASE_URL`.")
    ] = None
    database_url_media: Annotated[
        str | None, _doc("Database URL for media's schema; unset: `DATABASE_URL`.")
    ] = None
    database_url_webhooks: Annotated[
        str | None, _doc("Database URL for webhooks' schema; unset: `DATABASE_URL`.")
    ] = None
    database_url_tickets: Annotated[
        str | None, _doc("Database URL for tickets' schema; unset: `DATABASE_URL`.")
    ] = None
    database_pool_size: Annotated[
        int,
        _doc(
            "PostgreSQL connections each process keeps open, per database URL, and the most it"
            " opens: a request that finds none free waits for one (503 after 30 s)."
        ),
        msgspec.Meta(ge=1),
    ] = 20
    database_lock_timeout_ms: Annotated[
        int,
        _doc("How long a statement waits for a lock before the request is answered 503 `busy`."),
        msgspec.Meta(ge=100),
    ] = 5000
    migrate_on_start: Annotated[
        bool | None,
        _doc("Apply migrations when `serve`/`worker` start; unset means yes on SQLite, no on PostgreSQL."),
    ] = None
    data_dir: Annotated[
        str, _doc("Folder for local state: the generated development JWT secret, local media.")
    ] = "./data"
    redis_url: Annotated[
        str | None, _doc("Redis URL (`redis://host:6379/0`) for shared rate limits and the event stream.")
    ] = None
    jwt_secret: Annotated[
        str | None,
        _doc(
            "HS512 signing key, at least 64 characters. Required in production; in development "
            "one is generated and kept in `data_dir`."
        ),
    ] = None
    access_token_ttl_seconds: Annotated[int, _doc("Access-token lifetime."), msgspec.Meta(ge=60)] = 900
    refresh_token_ttl_seconds: Annotated[int, _doc("Refresh-token lifetime."), msgspec.Meta(ge=300)] = (
        2_592_000
    )
    access_revocation_poll_seconds: Annotated[
        float,
        _doc(
            "How often each instance reads the access tokens revoked lately (blocks, logouts, "
            "password resets; at most 2 s): another instance's revocation stops a token within "
            "this plus 2 s at most, the revoking instance's at once."
        ),
        msgspec.Meta(gt=0, le=2),
    ] = 1.0
    catalog_cache_seconds: Annotated[
        float,
        _doc(
            "How long each process may answer anonymous catalog reads (`GET /events…`, "
            "`/organizers…`) from memory (at most 1 s; 0 turns it off). Emptied sooner by any "
            "change the process makes or hears of."
        ),
        msgspec.Meta(ge=0, le=1),
    ] = 1.0
    cors_origins: Annotated[
        list[str], _doc("Comma-separated origins allowed by CORS; empty disables CORS.")
    ] = msgspec.field(default_factory=list)
    trusted_proxies: Annotated[
        list[str],
        _doc("Comma-separated proxy IPs/CIDRs whose `X-Forwarded-For` is believed."),
    ] = msgspec.field(default_factory=list)
    max_body_bytes: Annotated[
        int, _doc("Largest accepted request body (JSON routes)."), msgspec.Meta(ge=1024)
    ] = 1_048_576
    password_time_cost: Annotated[int, _doc("Argon2id iterations."), msgspec.Meta(ge=1)] = 3
    password_memory_cost: Annotated[int, _doc("Argon2id memory in KiB."), msgspec.Meta(ge=8)] = 65_536
    password_parallelism: Annotated[int, _doc("Argon2id lanes."), msgspec.Meta(ge=1)] = 4
    recovery_code_ttl_seconds: Annotated[int, _doc("Password-recovery code lifetime.")] = 900
    reset_token_ttl_seconds: Annotated[int, _doc("Lifetime of the token that `verify` returns.")] = 900
    telegram_bot_username: Annotated[str, _doc("Bot name used in Telegram deep links.")] = "AquaStreamBot"
    telegram_link_ttl_seconds: Annotated[int, _doc("Lifetime of a Telegram link code.")] = 900
    audit_retention_days: Annotated[
        int,
        _doc("How long audit-log entries are kept; older ones are deleted by a scheduled job."),
        msgspec.Meta(ge=1),
    ] = 180
    smtp_host: Annotated[str | None, _doc("SMTP server; unset means emails are only logged.")] = None
    smtp_port: Annotated[int, _doc("SMTP port.")] = 587
    smtp_username: Annotated[str | None, _doc("SMTP login.")] = None
    smtp_password: Annotated[str | None, _doc("SMTP password.")] = None
    smtp_from: Annotated[str, _doc("Sender address of emails.")] = "AquaStream <no-reply@aquastream.local>"
    smtp_starttls: Annotated[bool, _doc("Upgrade the SMTP connection with STARTTLS.")] = True
    telegram_bot_token: Annotated[
        str | None, _doc("Telegram Bot API token; unset means Telegram notifications are only logged.")
    ] = None
    telegram_api_url: Annotated[str, _doc("Base URL of the Telegram Bot API.")] = "https://api.telegram.org"
    telegram_webhook_secret: Annotated[
        str | None,
        _doc(
            "Secret the bot webhook expects in `X-Telegram-Bot-Api-Secret-Token` (give Telegram the "
            "same in `setWebhook`); unset refuses every webhook call."
        ),
    ] = None
    sms_gateway_url: Annotated[
        str | None, _doc("URL of the HTTP SMS gateway (JSON POST); unset means SMS are only logged.")
    ] = None
    sms_gateway_token: Annotated[str | None, _doc("Bearer token for the SMS gateway.")] = None
    webhooks_send_seconds: Annotated[
        float,
        _doc("How often the webhook sender posts due deliveries to organizers' endpoints."),
        msgspec.Meta(gt=0),
    ] = 2.0
    webhooks_timeout_seconds: Annotated[
        float,
        _doc("How long one webhook delivery may take (resolving, connecting, answer) before it fails."),
        msgspec.Meta(gt=0, le=30),
    ] = 10.0
    webhooks_allow_private_targets: Annotated[
        bool,
        _doc(
            "Development only (refused in production): let webhook endpoints resolve to private, "
            "loopback or link-local addresses, for a receiver on the developer's machine."
        ),
    ] = False
    webhooks_ca_file: Annotated[
        str | None,
        _doc("PEM file of extra CAs webhook endpoints may present (a development receiver's)."),
    ] = None
    notification_send_seconds: Annotated[
        int, _doc("How often the sender job delivers due notifications."), msgspec.Meta(ge=1)
    ] = 10
    notification_max_attempts: Annotated[
        int, _doc("Delivery attempts of a notification before it is marked FAILED."), msgspec.Meta(ge=1)
    ] = 8
    notification_retry_base_seconds: Annotated[
        int,
        _doc("First retry delay of a failed notification; doubles with each attempt."),
        msgspec.Meta(ge=1),
    ] = 30
    notification_reminder_sweep_seconds: Annotated[
        int,
        _doc("How often events starting within 48 h / 24 h are checked for reminders."),
        msgspec.Meta(ge=1),
    ] = 300
    notification_inbox_retention_days: Annotated[
        int,
        _doc(
            "How long messages stay in the users' in-app inbox, read or not; older ones are deleted "
            "by a scheduled job. At least 30: an entry is also what recognises its fact delivered again."
        ),
        msgspec.Meta(ge=30),
    ] = 180
    rate_limit_enabled: Annotated[bool, _doc("Apply the per-IP / per-user rate limits.")] = True
    rate_limit_auth: Annotated[str, _doc("Limit of the auth routes.")] = "10/minute"
    rate_limit_recovery: Annotated[str, _doc("Limit of the recovery routes.")] = "5/5minutes"
    rate_limit_booking: Annotated[str, _doc("Limit of booking creation.")] = "20/minute"
    rate_limit_default: Annotated[str, _doc("Limit of every other route.")] = "100/minute"
    rate_limit_check_in: Annotated[
        str, _doc("Limit of check-ins at the door, per scanning account (all its scanners together).")
    ] = "600/minute"
    booking_hold_seconds: Annotated[
        int,
        _doc("How long a booking of a paid event holds its seat waiting for payment."),
        msgspec.Meta(ge=60),
    ] = 1800
    booking_max_party: Annotated[
        int,
        _doc(
            "Most seats one booking (or waitlist entry) may hold: the participant's own and their "
            "named companions'. 1 turns group bookings off."
        ),
        msgspec.Meta(ge=1, le=50),
    ] = 6
    waitlist_window_seconds: Annotated[
        int, _doc("How long a freed seat is held for the first person on the waitlist."), msgspec.Meta(ge=60)
    ] = 1800
    expiry_sweep_seconds: Annotated[
        int, _doc("How often expired holds and lapsed waitlist windows are released."), msgspec.Meta(ge=1)
    ] = 60
    crew_preferences_max: Annotated[
        int,
        _doc("How many people a participant may list to be with, and as many to avoid, in an event's crews."),
        msgspec.Meta(ge=0),
    ] = 5
    media_storage: Annotated[
        Literal["local", "s3"],
        _doc("Where uploaded files go: `local` (a folder, served by the app) or `s3` (S3-compatible)."),
    ] = "local"
    media_dir: Annotated[
        str | None, _doc("Folder of the `local` media storage; unset means `media` under `data_dir`.")
    ] = None
    media_max_bytes: Annotated[
        int, _doc("Largest uploaded file, in bytes (25 MiB by default)."), msgspec.Meta(ge=1024)
    ] = 26_214_400
    media_link_ttl_seconds: Annotated[
        int, _doc("Lifetime of signed media links (downloads and presigned uploads)."), msgspec.Meta(ge=1)
    ] = 900
    media_variant_sizes: Annotated[
        list[Annotated[int, msgspec.Meta(ge=16, le=4096)]],
        _doc(
            "Comma-separated longest sides, in pixels, of the WebP variants made of every avatar, "
            "logo, team photo and event image (never larger than the original)."
        ),
        msgspec.Meta(min_length=1, max_length=8),
    ] = msgspec.field(default_factory=lambda: [256, 1024])
    media_max_image_pixels: Annotated[
        int,
        _doc("Most pixels (width times height) of an uploaded picture; more is refused before decoding it."),
        msgspec.Meta(ge=1, le=170_000_000),
    ] = 50_000_000
    s3_endpoint_url: Annotated[
        str | None,
        _doc("S3 endpoint (`https://storage.yandexcloud.net`, `http://minio:9000`); unset means AWS."),
    ] = None
    s3_bucket: Annotated[str | None, _doc("S3 bucket of the media files; required with `s3` storage.")] = None
    s3_region: Annotated[str, _doc("S3 region.")] = "us-east-1"
    s3_access_key_id: Annotated[
        str | None, _doc("S3 access key id; required in production with `s3` storage.")
    ] = None
    s3_secret_access_key: Annotated[
        str | None, _doc("S3 secret access key; required in production with `s3` storage.")
    ] = None
    public_url: Annotated[
        str,
        _doc(
            "Public base URL of this API (`https://api.example.org`) that the links it hands out start "
            "with (local media, the sandbox payment page); empty gives links relative to the API's host."
        ),
    ] = ""
    payments_provider: Annotated[
        Literal["sandbox", "yookassa", "cloudpayments", "stripe"],
        _doc("Card provider used when `POST /payments` names none; `sandbox` (local, development only)."),
    ] = "sandbox"
    payments_return_url: Annotated[str, _doc("Where a card provider sends the payer back after paying.")] = (
        "http://localhost:8000/payments/return"
    )
    payments_provider_timeout_seconds: Annotated[
        float, _doc("Timeout of each call to a payment provider."), msgspec.Meta(gt=0)
    ] = 10.0
    payments_probe_timeout_seconds: Annotated[
        float,
        _doc("How long the expiry job waits for a provider's answer about an open card payment."),
        msgspec.Meta(gt=0),
    ] = 3.0
    payments_proof_hold_seconds: Annotated[
        int,
        _doc("How long a submitted QR receipt keeps the booking's seat while the organizer decides."),
        msgspec.Meta(ge=60),
    ] = 172_800
    webhook_retention_days: Annotated[
        int,
        _doc(
            "How long received payment notifications (raw payload and event id) are kept; older ones "
            "are deleted by a scheduled job. At least 30, beyond any provider's resending."
        ),
        msgspec.Meta(ge=30),
    ] = 90
    rate_limit_payments: Annotated[str, _doc("Limit of the payment routes.")] = "30/minute"
    yookassa_shop_id: Annotated[str | None, _doc("YooKassa shop id (HTTP Basic user).")] = None
    yookassa_secret_key: Annotated[str | None, _doc("YooKassa secret key (HTTP Basic password).")] = None
    yookassa_api_url: Annotated[str, _doc("YooKassa API base.")] = "https://api.yookassa.ru/v3"
    yookassa_ip_allowlist: Annotated[
        bool, _doc("Accept YooKassa notifications only from YooKassa's published addresses.")
    ] = False
    cloudpayments_public_id: Annotated[str | None, _doc("CloudPayments public id (widget, API user).")] = None
    cloudpayments_api_secret: Annotated[
        str | None, _doc("CloudPayments API secret (API password, notification HMAC key).")
    ] = None
    cloudpayments_api_url: Annotated[str, _doc("CloudPayments API base.")] = "https://api.cloudpayments.ru"
    stripe_secret_key: Annotated[str | None, _doc("Stripe secret API key.")] = None
    stripe_webhook_secret: Annotated[str | None, _doc("Stripe webhook signing secret (`whsec_…`).")] = None
    stripe_api_url: Annotated[str, _doc("Stripe API base.")] = "https://api.stripe.com"
    stripe_webhook_tolerance_seconds: Annotated[
        int, _doc("How old a Stripe event's signed timestamp may be."), msgspec.Meta(ge=1)
    ] = 300
    qr_payee_name: Annotated[
        str | None,
        _doc("QR payee for organizers without their own (all five `QR_*` needed; development has a demo)."),
    ] = None
    qr_account: Annotated[str | None, _doc("Payee's settlement account (20 digits).")] = None
    qr_bank_name: Annotated[str | None, _doc("Payee's bank.")] = None
    qr_bic: Annotated[str | None, _doc("Payee bank's BIC (9 digits).")] = None
    qr_correspondent_account: Annotated[str | None, _doc("Payee bank's correspondent account.")] = None
    run_worker: Annotated[
        bool, _doc("Run the outbox dispatcher and scheduled jobs inside the API process.")
    ] = True
    worker_domains: Annotated[
        str,
        _doc(
            "Comma-separated domains whose facts, reactions and jobs this process's worker runs "
            "(`identity`, `catalog`, `booking`, `payments`, `notifications`, `crews`, `media`, "
            "`tickets`, `webhooks`); "
            "empty means all."
        ),
    ] = ""
    outbox_poll_seconds: Annotated[
        float, _doc("Pause between two passes of the event spine when nothing woke the worker.")
    ] = 1.0
    log_level: Annotated[str, _doc("Log level: `DEBUG`, `INFO`, `WARNING`, `ERROR` or `CRITICAL`.")] = "INFO"
    log_json: Annotated[bool, _doc("Structured JSON logs (else plain text for a terminal).")] = True
    otlp_endpoint: Annotated[
        str | None, _doc("OTLP/HTTP endpoint for traces (`http://collector:4318`); unset disables export.")
    ] = None
    version: Annotated[str, _doc("Version shown by `/admin/info` (set at image build).")] = "0.1.0"
    git_revision: Annotated[str, _doc("Git revision shown by `/admin/info`.")] = "unknown"
    build_time: Annotated[str, _doc("Build time shown by `/admin/info`.")] = "unknown"

    @property
    def worker_domain_set(self) -> frozenset[str]:
        """The domains this process's worker serves (all of them when none is named)."""
        named = {name.strip() for name in self.worker_domains.split(",") if name.strip()}
        return frozenset(named or DOMAINS)

    def database_url_of(self, domain: str) -> str:
        """The URL of ``domain``'s schema: its own ``database_url_<domain>``, else ``database_url``
        (which also serves the shared ``infra`` schema)."""
        if domain not in DOMAINS:
            raise ValueError(f"unknown domain {domain!r}")
        own: str | None = getattr(self, f"database_url_{domain}")
        return own or self.database_url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def should_migrate_on_start(self) -> bool:
        return self.is_sqlite if self.migrate_on_start is None else self.migrate_on_start

    @property
    def media_path(self) -> Path:
        """The folder of the local media storage."""
        return Path(self.media_dir) if self.media_dir else Path(self.data_dir) / "media"

    @property
    def secret(self) -> str:
        if self.jwt_secret is None:
            raise SettingsError("jwt_secret is not resolved; build settings with load_settings()")
        return self.jwt_secret

    @classmethod
    def for_tests(cls, **overrides: Any) -> Settings:
        """Cheap hashing, a fixed secret, no background worker: what tests want by default."""
        values: dict[str, Any] = {
            "env": "test",
            "database_url": "sqlite+aiosqlite:///:memory:",
            "jwt_secret": "test-secret-" + "x" * 60,
            "password_time_cost": 1,
            "password_memory_cost": 8,
            "password_parallelism": 1,
            "run_worker": False,
            "log_json": False,
        }
        values.update(overrides)
        return cls(**values)


_LIST_FIELDS = {"cors_origins", "trusted_proxies", "media_variant_sizes"}


def _from_env_value(name: str, raw: str) -> Any:
    if name in _LIST_FIELDS:
        return [item.strip() for item in raw.split(",") if item.strip()]
    if raw == "" and name in _OPTIONAL_FIELDS:
        return None
    return raw


_OPTIONAL_FIELDS = {f.name for f in msgspec.structs.fields(Settings) if "None" in str(f.type)}


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    env_file: str | Path | None = ".env",
    warn: Callable[[str], None] | None = None,
) -> Settings:
    """Build settings from ``environ`` (default: the process environment) over ``env_file``.

    Raises ``SettingsError`` naming the variable at fault. Each variable with the prefix
    that is no setting is passed to ``warn`` (one sentence each) and otherwise ignored;
    without ``warn`` it is ignored silently (the server processes of ``serve``, whose
    command has warned already).
    """
    source: dict[str, str] = {}
    if env_file is not None and Path(env_file).is_file():
        source.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    source.update(os.environ if environ is None else environ)
    known = {f.name for f in msgspec.structs.fields(Settings)}
    values: dict[str, Any] = {}
    for key, raw in source.items():
        if not key.startswith(PREFIX) or key in OTHER_VARIABLES or key.startswith(OTHER_PREFIXES):
            continue
        name = key[len(PREFIX) :].lower()
        if name in known:
            values[name] = _from_env_value(name, raw)
        elif warn is not None:
            closest = closest_name(key, [f"{PREFIX}{n.upper()}" for n in known])
            hint = "(see `aquastream config`)"
            warn(f"{key} is not a known setting and is ignored; the closest one is {closest} {hint}.")
    try:
        settings = msgspec.convert(values, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise SettingsError(_invalid_value(str(exc), values)) from None
    _check_forms(settings)
    _check_media_storage(settings)
    _check_webhook_targets(settings)
    check_worker_domains(settings.worker_domains)
    settings = _resolve_secret(settings)
    _check_payment_credentials(settings)
    return settings


def _check_forms(settings: Settings) -> None:
    """What a type cannot say: URLs, the log level, rate limits, proxies."""
    problems: list[tuple[str, str | None]] = [
        (f"{PREFIX}DATABASE_URL", database_url_problem(settings.database_url)),
    ]
    for domain in sorted(DOMAINS):
        own: str | None = getattr(settings, f"database_url_{domain}")
        if own:
            problems.append((f"{PREFIX}DATABASE_URL_{domain.upper()}", database_url_problem(own)))
    if settings.redis_url:
        problems.append((f"{PREFIX}REDIS_URL", redis_url_problem(settings.redis_url)))
    problems.append((f"{PREFIX}LOG_LEVEL", log_level_problem(settings.log_level)))
    for name in RATE_LIMIT_FIELDS:
        problems.append((f"{PREFIX}{name.upper()}", rate_limit_problem(getattr(settings, name))))
    problems.append((f"{PREFIX}TRUSTED_PROXIES", proxies_problem(settings.trusted_proxies)))
    for variable, problem in problems:
        if problem is not None:
            raise SettingsError(f"{variable} {problem}.")


RATE_LIMIT_FIELDS = (
    "rate_limit_auth",
    "rate_limit_recovery",
    "rate_limit_booking",
    "rate_limit_payments",
    "rate_limit_check_in",
    "rate_limit_default",
)


def _invalid_value(message: str, values: Mapping[str, Any]) -> str:
    """msgspec's "Expected `int` >= 60 - at `$.field`" as the variable, its value and the
    form expected. Only numbers, booleans and choices fail here (strings take any text), so
    the value shown is never a secret."""
    if "`$." not in message:
        return f"Invalid configuration: {message}"
    field = message.partition("`$.")[2].partition("`")[0]
    shown = redact_url(str(values.get(field)))  # a URL pasted into the wrong variable keeps its secret
    return f"{PREFIX}{field.upper()}={shown!r} is not valid; expected {_expected_forms()[field]}."


@cache
def _expected_forms() -> dict[str, str]:
    """The form each number, boolean or choice setting takes, in words, with its default."""
    forms: dict[str, str] = {}
    struct = msgspec.inspect.type_info(Settings)
    assert isinstance(struct, msgspec.inspect.StructType)
    for field in struct.fields:
        outer = _unwrapped(field.type)
        kinds = (
            tuple(map(_unwrapped, outer.types)) if isinstance(outer, msgspec.inspect.UnionType) else (outer,)
        )
        optional = any(isinstance(kind, msgspec.inspect.NoneType) for kind in kinds)
        kind = next(kind for kind in kinds if not isinstance(kind, msgspec.inspect.NoneType))
        if isinstance(kind, msgspec.inspect.BoolType):
            form = "true or false (or 1 or 0)"
        elif isinstance(kind, msgspec.inspect.LiteralType):
            form = "one of " + ", ".join(str(value) for value in kind.values)
        elif isinstance(kind, msgspec.inspect.IntType | msgspec.inspect.FloatType):
            form = ("a whole number" if isinstance(kind, msgspec.inspect.IntType) else "a number") + _unit(
                field.name
            )
            bounds = [
                f"{sign} {bound}"
                for sign, bound in ((">", kind.gt), (">=", kind.ge), ("<", kind.lt), ("<=", kind.le))
                if bound is not None
            ]
            if bounds:
                form += " " + " and ".join(bounds)
        else:
            continue
        if optional:
            form += ", or empty for the default"
        if field.default not in (None, msgspec.NODEFAULT):
            default = str(field.default).lower() if isinstance(field.default, bool) else field.default
            form += f" (default {default})"
        forms[field.name] = form
    return forms


def _unwrapped(kind: msgspec.inspect.Type) -> msgspec.inspect.Type:
    """The type under its descriptions (``Metadata``)."""
    while isinstance(kind, msgspec.inspect.Metadata):
        kind = kind.type
    return kind


def _unit(name: str) -> str:
    for suffix, unit in (("_seconds", " of seconds"), ("_ms", " of milliseconds"), ("_bytes", " of bytes")):
        if name.endswith(suffix):
            return unit
    return ""


def check_worker_domains(value: str) -> None:
    unknown = sorted({name.strip() for name in value.split(",") if name.strip()} - DOMAINS)
    if unknown:
        raise SettingsError(
            f"{PREFIX}WORKER_DOMAINS names unknown domains ({', '.join(unknown)}); "
            f"expected a comma-separated list of {', '.join(sorted(DOMAINS))}."
        )


# The secrets each card provider needs, by setting name.
PROVIDER_SECRETS: dict[str, tuple[str, ...]] = {
    "yookassa": ("yookassa_shop_id", "yookassa_secret_key"),
    "cloudpayments": ("cloudpayments_public_id", "cloudpayments_api_secret"),
    "stripe": ("stripe_secret_key", "stripe_webhook_secret"),
}


def _check_payment_credentials(settings: Settings) -> None:
    """Production takes real money: the chosen provider's secrets are required, the sandbox
    (which lets anyone complete a payment) is refused."""
    if settings.env != "production":
        return
    if settings.payments_provider == "sandbox":
        raise SettingsError(
            f"{PREFIX}PAYMENTS_PROVIDER=sandbox is for development; choose yookassa, cloudpayments or stripe."
        )
    missing = [
        f"{PREFIX}{name.upper()}"
        for name in PROVIDER_SECRETS[settings.payments_provider]
        if not getattr(settings, name)
    ]
    if missing:
        raise SettingsError(
            f"{', '.join(missing)} required when {PREFIX}PAYMENTS_PROVIDER={settings.payments_provider}."
        )


def _check_webhook_targets(settings: Settings) -> None:
    """Private webhook targets would let organizers make the service call its own network."""
    if settings.webhooks_allow_private_targets and settings.env == "production":
        raise SettingsError(
            f"{PREFIX}WEBHOOKS_ALLOW_PRIVATE_TARGETS is for development; "
            f"it is refused when {PREFIX}ENV=production."
        )


def _check_media_storage(settings: Settings) -> None:
    """S3 needs a bucket; in production also its keys (no anonymous or ambient credentials)."""
    if settings.media_storage != "s3":
        return
    if not settings.s3_bucket:
        raise SettingsError(f"{PREFIX}S3_BUCKET is required when {PREFIX}MEDIA_STORAGE=s3.")
    if settings.env == "production":
        for name in ("s3_access_key_id", "s3_secret_access_key"):
            if not getattr(settings, name):
                raise SettingsError(
                    f"{PREFIX}{name.upper()} is required when {PREFIX}MEDIA_STORAGE=s3 "
                    f"and {PREFIX}ENV=production."
                )


def _resolve_secret(settings: Settings) -> Settings:
    secret = settings.jwt_secret
    if secret is not None:
        if len(secret) < 64:
            raise SettingsError(f"{PREFIX}JWT_SECRET must be at least 64 characters (an HS512 key).")
        return settings
    if settings.env == "production":
        raise SettingsError(f"{PREFIX}JWT_SECRET is required when {PREFIX}ENV=production.")
    try:
        secret = _development_secret(Path(settings.data_dir))
    except OSError as exc:
        raise SettingsError(
            f"{PREFIX}DATA_DIR={settings.data_dir!r}: the development signing key cannot be kept there "
            f"({exc.strerror}); expected a folder this user may write (or set {PREFIX}JWT_SECRET)."
        ) from None
    return msgspec.structs.replace(settings, jwt_secret=secret)


def _development_secret(data_dir: Path) -> str:
    """A generated key kept in the data folder, so restarts keep sessions valid."""
    path = data_dir / "jwt-secret"
    if path.is_file():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret


def settings_table() -> str:
    """The configuration reference as a Markdown table."""
    rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    for f in msgspec.structs.fields(Settings):
        description = ""
        for meta in getattr(f.type, "__metadata__", ()):
            if isinstance(meta, msgspec.Meta) and meta.description:
                description = meta.description
        default = f.default if f.default is not msgspec.NODEFAULT else ""
        if f.default_factory is not msgspec.NODEFAULT:
            made = f.default_factory()
            default = ",".join(str(item) for item in made) if isinstance(made, list) else ""
        shown = "" if default is None else f"`{default}`" if default != "" else ""
        rows.append(f"| `{PREFIX}{f.name.upper()}` | {shown} | {description} |")
    return "\n".join(rows)
