"""The ``aquastream`` command: serve, worker, migrate, create-admin, demo-data, domain-roles, config."""

from __future__ import annotations

import argparse
import asyncio
import atexit
import getpass
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Sequence

import msgspec

from aquastream.settings import (
    PREFIX,
    Settings,
    SettingsError,
    check_worker_domains,
    load_settings,
    settings_table,
)

DEMO_PASSWORD = "Rafting-Demo-2030!"


def main(argv: Sequence[str] | None = None) -> None:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "config":
        print(settings_table())
        return
    if args.command == "domain-roles":  # needs no settings: it only writes SQL
        from aquastream.adapters.sql.roles import domain_roles_sql

        print(domain_roles_sql(args.prefix))
        return
    try:
        settings = load_settings()
    except SettingsError as exc:
        sys.exit(f"aquastream: {exc}")
    args.handler(settings, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="aquastream", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP API (and, by default, the worker)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1, help="server processes")
    serve.add_argument(
        "--no-worker",
        action="store_true",
        help="serve only; run the event spine and jobs in `aquastream worker` processes",
    )
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run the event spine and scheduled jobs alone")
    worker.add_argument(
        "--domains",
        default=None,
        help="comma-separated domains to serve (their facts, reactions and jobs); default: all",
    )
    worker.set_defaults(handler=_worker)

    migrate = commands.add_parser("migrate", help="apply database migrations")
    migrate.add_argument("--revision", default="head")
    migrate.set_defaults(handler=_migrate)

    admin = commands.add_parser("create-admin", help="create the first admin (or promote a user)")
    admin.add_argument("--email", required=True)
    admin.add_argument(
        "--password",
        help="the password; else AQUASTREAM_ADMIN_PASSWORD, else asked on the terminal",
    )
    admin.set_defaults(handler=_create_admin)

    demo = commands.add_parser("demo-data", help="load demo organizer, events, accounts")
    demo.add_argument(
        "--password",
        default=DEMO_PASSWORD,
        help=f"the password of the demo accounts (default {DEMO_PASSWORD})",
    )
    demo.set_defaults(handler=_demo_data)

    roles = commands.add_parser(
        "domain-roles",
        help="print the SQL that makes one PostgreSQL role per domain, allowed only its own schema",
    )
    roles.add_argument("--prefix", default="aquastream_", help="role names are <prefix><schema>")
    commands.add_parser("config", help="print the configuration reference")
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    from granian import Granian
    from granian.constants import Interfaces

    if settings.should_migrate_on_start:
        _run_migrations(settings, "head")
    if args.no_worker:
        # The server processes read their settings again from the environment.
        os.environ[f"{PREFIX}RUN_WORKER"] = "false"
    _metrics_across_workers(args.workers)
    Granian(
        "aquastream.asgi:application",
        factory=True,
        interface=Interfaces.ASGI,
        address=args.host,
        port=args.port,
        workers=args.workers,
        log_access=False,
    ).serve()


def _metrics_across_workers(workers: int) -> None:
    """prometheus_client's multiprocess mode for several workers (adapters/http/metrics.py): a
    fresh directory for this run, unless the operator gave one, set before the workers start."""
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        directory = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="aquastream-metrics-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)


def _worker(settings: Settings, args: argparse.Namespace) -> None:
    from aquastream.adapters.http.logs import configure_logging
    from aquastream.app import make_container
    from aquastream.worker import BackgroundWorker

    if args.domains is not None:
        try:
            check_worker_domains(args.domains)
        except SettingsError as exc:
            sys.exit(f"aquastream: {exc}".replace(f"{PREFIX}WORKER_DOMAINS", "--domains"))
        settings = msgspec.structs.replace(settings, worker_domains=args.domains)
    configure_logging(settings)
    if settings.should_migrate_on_start:
        _run_migrations(settings, "head")

    async def run() -> None:
        container = make_container(settings)
        try:
            worker = await container.get(BackgroundWorker)
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, lambda: asyncio.ensure_future(worker.stop()))
            await worker.run()
        finally:
            await container.close()

    asyncio.run(run())


def _migrate(settings: Settings, args: argparse.Namespace) -> None:
    _run_migrations(settings, args.revision)
    print(f"database migrated to {args.revision}")


def _run_migrations(settings: Settings, revision: str) -> None:
    from aquastream.adapters.sql.migrate import upgrade

    asyncio.run(upgrade(settings.database_url, revision))


def _create_admin(settings: Settings, args: argparse.Namespace) -> None:
    from aquastream.app import make_container
    from aquastream.domain.identity.bootstrap import CreateAdmin
    from aquastream.domain.shared.errors import DomainError

    password = args.password or os.environ.get("AQUASTREAM_ADMIN_PASSWORD") or getpass.getpass()
    if settings.should_migrate_on_start:
        _run_migrations(settings, "head")

    async def run() -> None:
        container = make_container(settings)
        try:
            async with container() as request:
                create_admin = await request.get(CreateAdmin)
                account = await create_admin(email=args.email, password=password)
        finally:
            await container.close()
        what = "created" if account.created else "promoted"
        print(f"admin {args.email} {what} (id {account.user_id})")

    try:
        asyncio.run(run())
    except DomainError as exc:
        details = "; ".join(f"{e.field}: {e.message}" for e in exc.errors)
        sys.exit(f"aquastream: {exc.message} {details}".rstrip())


def _demo_data(settings: Settings, args: argparse.Namespace) -> None:
    from aquastream.app import make_container
    from aquastream.demo import load_demo_data

    if settings.env == "production":
        sys.exit("aquastream: demo data is not loaded in production (its accounts share a known password)")
    if settings.should_migrate_on_start:
        _run_migrations(settings, "head")

    async def run() -> None:
        container = make_container(settings)
        try:
            summary = await load_demo_data(container, args.password)
        finally:
            await container.close()
        if not summary.loaded:
            print("demo data is already loaded")
            return
        print(f"demo data loaded: {summary.events} events; accounts (password {args.password}):")
        for email in summary.accounts:
            print(f"  {email}")

    asyncio.run(run())
