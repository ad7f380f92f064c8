"""What an uploaded file's bytes must be: not empty, within the size limit, and of a format
its owner type accepts, as recognised from the bytes themselves."""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from aquastream.domain.media.errors import EmptyFile, FileTooLarge, UnsupportedFileType
from aquastream.domain.media.model import MediaPolicy, OwnerType
from aquastream.ports.media import FormatSniffer

MAX_NAME_LENGTH = 255


def checked_format(
    policy: MediaPolicy, sniffer: FormatSniffer, owner_type: OwnerType, *, size_bytes: int, head: bytes
) -> str:
    """The MIME type the bytes are, when the file may be kept; raises otherwise.

    The client's file name and ``Content-Type`` are never asked: a script renamed
    ``photo.jpg`` is refused."""
    if size_bytes == 0:
        raise EmptyFile()
    if size_bytes > policy.max_bytes:
        raise FileTooLarge(policy.max_bytes)
    found = sniffer.sniff(head)
    allowed = policy.allowed_formats[owner_type]
    if found not in allowed:
        raise UnsupportedFileType(found, allowed)
    return found


def clean_name(name: str | None) -> str | None:
    """The client's file name as a label only: no folders, no control characters, at most
    255 characters; None when nothing is left."""
    if not name:
        return None
    base = PurePosixPath(PureWindowsPath(name).name).name
    printable = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return printable[:MAX_NAME_LENGTH] or None
