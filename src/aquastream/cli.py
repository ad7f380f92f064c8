"""The ``aquastream`` command: serve, worker, migrate, create-admin, media, demo-data, domain-roles, config.

A command that cannot start — a bad option or setting, a port in use, a database it cannot
reach — says so in ONE line on standard error (``aquastream: <the variable or option>, what
is wrong, the form expected``) and exits with status 2, without a traceback: the operator
reads what to change, not where in the code it was noticed. Passwords in URLs are shown as
``***``. Unknown ``AQUASTREAM_*`` variables are one warning line each and do not stop it.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import errno
import getpass
import os
import shutil
import signal
import socket
import sqlite3
import sys
import tempfile
from collections.abc import Sequence
from typing import NoReturn

import msgspec

from aquastream.settings import (
    DOMAINS,
    PREFIX,
    Settings,
    SettingsError,
    check_worker_domains,
    load_settings,
    settings_table,
)
from aquastream.settings_checks import redact_url

DEMO_PASSWORD = "Rafting-Demo-2030!"
# The status of every configuration or start-up error (argparse's own, for its usage errors).
EXIT_CONFIGURATION = 2
# How long a command waits for each database to answer at start.
DATABASE_REACH_SECONDS = 10.0
ADMIN_PASSWORD_VARIABLE = f"{PREFIX}ADMIN_PASSWORD"


class StartupError(Exception):
    """The command cannot start; the message is one sentence naming the option or variable."""


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
        settings = load_settings(warn=_warn)
        args.handler(settings, args)
    except (SettingsError, StartupError) as exc:
        _fail(str(exc))


def _warn(message: str) -> None:
    print(f"aquastream: warning: {message}", file=sys.stderr)


def _fail(message: str) -> NoReturn:
    print(f"aquastream: {' '.join(message.splitlines())}", file=sys.stderr)
    sys.exit(EXIT_CONFIGURATION)


class _Parser(argparse.ArgumentParser):
    """argparse, with its usage errors in one line too."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_CONFIGURATION, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port; expected a number from 1 to 65535")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a count; expected a whole number >= 1")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="aquastream", description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the HTTP API (and, by default, the worker)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--workers", type=_count, default=1, help="server processes")
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
        help=(
            "the password of a new account (an existing one is promoted and keeps its own); "
            "else AQUASTREAM_ADMIN_PASSWORD, else one line of standard input when it is not "
            "a terminal, else asked on the terminal"
        ),
    )
    admin.set_defaults(handler=_create_admin)

    demo = commands.add_parser("demo-data", help="load demo organizer, events, accounts")
    demo.add_argument(
        "--password",
        default=DEMO_PASSWORD,
        help=f"the password of the demo accounts (default {DEMO_PASSWORD})",
    )
    demo.set_defaults(handler=_demo_data)

    media = commands.add_parser("media", help="media housekeeping")
    media_commands = media.add_subparsers(dest="media_command", required=True)
    variants = media_commands.add_parser(
        "make-variants",
        help="make the missing variants of pictures uploaded before variants were made",
    )
    variants.add_argument(
        "--batch-size", type=_count, default=100, help="pictures looked up at a time (default 100)"
    )
    variants.set_defaults(handler=_make_variants)

    roles = commands.add_parser(
        "domain-roles",
        help="print the SQL that makes one PostgreSQL role per domain, allowed only its own schema",
    )
    roles.add_argument("--prefix", default="aquastream_", help="role names are <prefix><schema>")
    commands.add_parser("config", help="print the configuration reference")
    return parser


def _serve(settings: Settings, args: argparse.Namespace) -> None:
    _check_can_listen(args.host, args.port)
    reach_databases(settings, serving=True)
    from granian import Granian
    from granian.constants import Interfaces

    if settings.should_migrate_on_start:
        _migrate_on_start(settings)
    if args.no_worker:
        # The server processes read their settings again from the environment.
        os.environ[f"{PREFIX}RUN_WORKER"] = "false"
    _metrics_across_workers(args.workers)
    server = Granian(
        "aquastream.asgi:application",
        factory=True,
        interface=Interfaces.ASGI,
        address=args.host,
        port=args.port,
        workers=args.workers,
        log_access=False,
    )
    try:
        server.serve()
    except RuntimeError as exc:
        # The port was taken between the check above and Granian's own bind.
        if "address already in use" not in str(exc).lower():
            raise
        raise StartupError(_port_in_use(args.host, args.port)) from None


def _check_can_listen(host: str, port: int) -> None:
    """Bind ``host:port`` once, as the server will: a port in use or a host that is not this
    machine's is told now, in one line, rather than by Granian's traceback."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise StartupError(
            f"--host {host!r} is not an address ({exc.strerror}); expected an IP address of this "
            "machine such as 127.0.0.1, or 0.0.0.0 for all"
        ) from None
    with socket.socket(family, kind, protocol) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise StartupError(_port_in_use(host, port)) from None
            raise StartupError(
                f"--host {host} --port {port}: cannot listen there ({exc.strerror}); expected an "
                "address of this machine and a port this user may open (1024 and above)"
            ) from None


def _port_in_use(host: str, port: int) -> str:
    return (
        f"--port {port}: {host}:{port} is already in use by another process; "
        "expected a free port (stop the other server or give another --port)"
    )


def reach_databases(settings: Settings, *, serving: bool = False) -> None:
    """Connect once to every distinct database URL: a server that is down, a wrong password,
    host or database, a SQLite file in a folder that is not there, is one line naming the
    variable and the URL (without its password), rather than a driver's traceback at the
    first query.

    ``serving`` (``serve``, ``worker``): a database that is only unreachable for now (refused,
    timed out: ``adapters.outage``) is a one-line warning and the process starts anyway; it
    answers 503 and is not ready until the database answers, then recovers without a restart.
    A wrong password or database name, or a migration to run first, still stops it: waiting
    would not fix those."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url

    from aquastream.adapters.sql.engine import create_engine

    variables: dict[str, str] = {settings.database_url: f"{PREFIX}DATABASE_URL"}
    for domain in sorted(DOMAINS):
        variables.setdefault(settings.database_url_of(domain), f"{PREFIX}DATABASE_URL_{domain.upper()}")

    async def reach(url: str) -> None:
        if url.startswith("sqlite"):
            # The standard library's driver, without aiosqlite's thread: a connection given up
            # on would finish in that thread after the loop closed, and print a traceback.
            database = make_url(url).database
            if database and database != ":memory:":
                sqlite3.connect(database).close()
            return
        engine = create_engine(url, pool_size=1)
        try:
            async with asyncio.timeout(DATABASE_REACH_SECONDS), engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    for url, variable in variables.items():
        try:
            asyncio.run(reach(url))
        except Exception as exc:  # any failure to reach it is the one line below
            if serving and not settings.should_migrate_on_start and _is_outage(exc):
                print(
                    f"aquastream: warning: {variable}: the database at {redact_url(url)} does not answer "
                    f"({_reason(exc, url)}); starting anyway, not ready until it does",
                    file=sys.stderr,
                )
                continue
            expected = (
                "a file in a folder that exists and this user may write"
                if url.startswith("sqlite")
                else "a running server where this URL's user, password and database are valid"
            )
            raise StartupError(
                f"{variable}: cannot reach the database at {redact_url(url)} ({_reason(exc, url)}); "
                f"expected {expected}"
            ) from None


def _is_outage(error: BaseException) -> bool:
    from aquastream.adapters.outage import is_outage

    return is_outage(error)


def _reason(error: BaseException, url: str) -> str:
    """The driver's own words (first line), without the URL's password if it repeats it."""
    from sqlalchemy.engine import make_url

    cause = getattr(error, "orig", None) or error
    if isinstance(cause, TimeoutError):
        return f"no answer within {DATABASE_REACH_SECONDS:g} s"
    words = str(cause).strip().splitlines()
    reason = words[0] if words else type(cause).__name__
    password = make_url(url).password
    return reason.replace(str(password), "***") if password else reason


def _metrics_across_workers(workers: int) -> None:
    """prometheus_client's multiprocess mode for several workers (adapters/http/metrics.py): a
    fresh directory for this run, unless the operator gave one, set before the workers start."""
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        directory = os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="aquastream-metrics-")
        atexit.register(shutil.rmtree, directory, ignore_errors=True)


def _worker(settings: Settings, args: argparse.Namespace) -> None:
    if args.domains is not None:
        try:
            check_worker_domains(args.domains)
        except SettingsError as exc:
            raise StartupError(str(exc).replace(f"{PREFIX}WORKER_DOMAINS", "--domains")) from None
        settings = msgspec.structs.replace(settings, worker_domains=args.domains)
    reach_databases(settings, serving=True)
    # The application's modules are imported once the command is sure to start (seconds).
    from aquastream import heap

    heap.starting()
    from aquastream.adapters.http.logs import configure_logging
    from aquastream.app import make_container
    from aquastream.worker import BackgroundWorker

    configure_logging(settings)
    if settings.should_migrate_on_start:
        _migrate_on_start(settings)

    async def run() -> None:
        container = make_container(settings)
        try:
            worker = await container.get(BackgroundWorker)
            heap.settle()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, lambda: asyncio.ensure_future(worker.stop()))
            await worker.run()
        finally:
            await container.close()

    asyncio.run(run())


def _migrate(settings: Settings, args: argparse.Namespace) -> None:
    reach_databases(settings)
    _run_migrations(settings, args.revision)
    print(f"database migrated to {args.revision}")


def _run_migrations(settings: Settings, revision: str) -> None:
    """Upgrade to ``revision``: a revision that does not exist is the option's fault, one line."""
    from alembic.util import CommandError

    from aquastream.adapters.sql.migrate import upgrade

    try:
        asyncio.run(upgrade(settings.database_url, revision))
    except CommandError as exc:
        words = str(exc).strip().splitlines() or [type(exc).__name__]
        raise StartupError(
            f"--revision {revision}: {words[0]}; expected head or a revision id from migrations/versions"
        ) from None


def _migrate_on_start(settings: Settings) -> None:
    """Migrate to head at start, as the settings ask (SQLite by default). A database already at
    head is left alone without loading Alembic and every script (0.7-0.9 s of every start)."""
    if not asyncio.run(_at_head(settings.database_url)):
        _run_migrations(settings, "head")


async def _at_head(url: str) -> bool:
    """The database is at this release's head, or past it (a newer release migrated it: as
    ``schema_check`` judges readiness). Asked as the server asks, without Alembic."""
    from aquastream.adapters.sql.engine import create_engine
    from aquastream.adapters.sql.schema_check import SchemaBehind, SchemaCheck

    engine = create_engine(url, pool_size=1)
    try:
        await SchemaCheck(engine).check()
    except SchemaBehind:
        return False
    finally:
        await engine.dispose()
    return True


def _open_database(settings: Settings) -> None:
    """Wait for the databases to answer; migrate them first where the settings say so (SQLite)."""
    reach_databases(settings)
    if settings.should_migrate_on_start:
        _migrate_on_start(settings)


def _create_admin(settings: Settings, args: argparse.Namespace) -> None:
    """Promote the account of ``--email``, or create it when there is none.

    Promoting needs no password, so nothing is asked for until the account turns out to be
    new: then ``--password``, else ``AQUASTREAM_ADMIN_PASSWORD``, else one line of standard
    input when it is not a terminal (a pipe, a file), else a prompt on the terminal.
    """
    given: str | None = args.password or os.environ.get(ADMIN_PASSWORD_VARIABLE) or None
    _open_database(settings)
    from aquastream.app import make_container
    from aquastream.domain.identity.bootstrap import AdminAccount, CreateAdmin
    from aquastream.domain.shared.errors import DomainError

    async def run() -> AdminAccount:
        container = make_container(settings)
        try:
            async with container() as request:
                create_admin = await request.get(CreateAdmin)
                try:
                    return await create_admin(email=args.email, password=given)
                except DomainError as exc:
                    if given is not None or not _needs_password(exc):
                        raise
            async with container() as request:
                create_admin = await request.get(CreateAdmin)
                return await create_admin(email=args.email, password=_new_password())
        finally:
            await container.close()

    try:
        account = asyncio.run(run())
    except DomainError as exc:
        details = "; ".join(f"--{e.field} {e.message}" for e in exc.errors)
        raise StartupError(f"{exc.message} {details}".rstrip()) from None
    what = "created" if account.created else "promoted"
    print(f"admin {args.email} {what} (id {account.user_id})")


def _needs_password(error: Exception) -> bool:
    return any(field.field == "password" for field in getattr(error, "errors", ()))


def _new_password() -> str:
    """The password of a new admin, from standard input: one line when it is not a terminal,
    else typed at a prompt (not echoed)."""
    if sys.stdin is None or not sys.stdin.isatty():
        line = sys.stdin.readline() if sys.stdin is not None else ""
        password = line.rstrip("\r\n")
    else:
        try:
            password = getpass.getpass("Password of the new admin: ")
        except EOFError:  # Ctrl-D at the prompt: no password, said in the one line below
            if sys.stderr.isatty():  # end the prompt's line, so the message has one of its own
                print(file=sys.stderr)
            password = ""
    if not password:
        raise StartupError(
            "--password: a new account needs a password and none was given; expected --password, "
            f"{ADMIN_PASSWORD_VARIABLE}, one line on standard input, or a terminal to type it in"
        )
    return password


def _make_variants(settings: Settings, args: argparse.Namespace) -> None:
    """Make the variants of every picture that has none; safe to run again, and beside the
    workers (a picture is never made twice)."""
    _open_database(settings)
    from aquastream.app import make_container
    from aquastream.domain.media.variants import MakeMissingVariants, VariantsBackfill

    async def run() -> VariantsBackfill:
        container = make_container(settings)
        try:
            async with container() as request:
                make_missing = await request.get(MakeMissingVariants)
                return await make_missing(batch_size=args.batch_size)
        finally:
            await container.close()

    done = asyncio.run(run())
    print(
        f"{done.pictures} pictures without variants: {done.given} given {done.variants} variants, "
        f"{done.skipped} passed over (unreadable, stored object missing, or made or deleted meanwhile)"
    )


def _demo_data(settings: Settings, args: argparse.Namespace) -> None:
    if settings.env == "production":
        raise StartupError(
            f"{PREFIX}ENV=production: demo data is not loaded in production (its accounts share a "
            "known password); expected development or test"
        )
    _open_database(settings)
    from aquastream.app import make_container
    from aquastream.demo import DemoClock, DemoClockProvider, load_demo_data

    async def run() -> None:
        clock = DemoClock()
        container = make_container(settings, DemoClockProvider(clock))
        try:
            summary = await load_demo_data(container, clock, args.password)
        finally:
            await container.close()
        if not summary.loaded:
            print("demo data is already loaded")
            return
        print(f"demo data loaded: {summary.events} events; accounts (password {args.password}):")
        for email in summary.accounts:
            print(f"  {email}")

    asyncio.run(run())
