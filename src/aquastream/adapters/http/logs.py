"""Process logging: one JSON object per line (or plain text), every line stamped with the request id."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from typing import Any, TextIO

import msgspec

from aquastream.adapters.http.request_id import current_request_id
from aquastream.settings import Settings

# Attributes every LogRecord has; anything else on a record came in through ``extra=``.
_STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", logging.INFO, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "request_id",
    "taskName",
}

# Libraries whose INFO lines print whole URLs, credentials included (httpx logs every
# request as ``HTTP Request: POST https://api.telegram.org/bot<token>/sendMessage``), and
# whose DEBUG lines are connection chatter: only their warnings are kept, at any log level.
# Outgoing calls are seen in traces instead, with their URLs scrubbed.
QUIETED_LOGGERS = ("httpx", "httpcore")

_PLAIN_FORMAT = "%(asctime)s %(levelname)-7s %(name)s [%(request_id)s] %(message)s"


class RequestIdFilter(logging.Filter):
    """Copies the current request id onto the record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", …extra, "exception"}`` per line."""

    def __init__(self) -> None:
        super().__init__()
        self._encoder = msgspec.json.Encoder(enc_hook=str)

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            # Set by RequestIdFilter when the record was made, in the request's context.
            "request_id": _request_id_of(record),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return self._encoder.encode(entry).decode()


def _request_id_of(record: logging.LogRecord) -> str | None:
    request_id = getattr(record, "request_id", "-")
    return None if request_id == "-" else str(request_id)


class _AquastreamHandler(logging.StreamHandler[TextIO]):
    """Marks the handler this module installed, so configuring again replaces only it."""


class _StderrHandler(_AquastreamHandler):
    """Writes to whatever ``sys.stderr`` is at the time of each record, never to a stale one."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        """Ignored: ``logging`` assigns the stream it was built with, which may go stale."""


def _skip_unused_record_fields() -> None:
    """Neither format writes the thread, the process or the caller's file and line: spare
    every record the cost of finding them (the logging HOWTO's "Optimization"; the access
    line of a request served from the catalog cache spent a third of its time making its
    record)."""
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    if hasattr(logging, "logAsyncioTasks"):  # Python 3.12+
        logging.logAsyncioTasks = False
    logging._srcfile = None


def configure_logging(settings: Settings, *, stream: TextIO | None = None) -> None:
    """Install one handler on the root logger, replacing the one a previous call installed.

    Handlers that others added (pytest's capture, an embedding server's) are left alone.
    The ``QUIETED_LOGGERS`` are set to WARNING.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        if isinstance(handler, _AquastreamHandler):
            root.removeHandler(handler)
            handler.close()
    handler = _AquastreamHandler(stream) if stream is not None else _StderrHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter() if settings.log_json else logging.Formatter(_PLAIN_FORMAT))
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())
    _skip_unused_record_fields()
    for name in QUIETED_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
