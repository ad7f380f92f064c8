"""What an uploaded file's bytes must be: not empty, within the size limit, of a format its
owner type accepts, as recognised from the bytes themselves, and, for pictures that get
variants, a picture that decodes within the pixel limits."""

from __future__ import annotations

import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from aquastream.domain.media.errors import (
    DecompressionBomb,
    EmptyFile,
    FileTooLarge,
    ImageTooLarge,
    UnreadableImage,
    UnsupportedFileType,
)
from aquastream.domain.media.model import IMAGE_OWNER_TYPES, MediaPolicy, OwnerType
from aquastream.ports.media import FormatSniffer, ImageHeader, ImageProcessor

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


async def checked_header(
    policy: MediaPolicy, images: ImageProcessor, content_type: str | None, data: bytes
) -> ImageHeader:
    """The header of a picture that may be decoded: of the format its first bytes said
    (``content_type``), and with no more pixels than ``policy`` accepts, counted before any
    pixel is decoded (a few kilobytes can announce a gigapixel "decompression bomb")."""
    try:
        header = await images.read_header(data)
    except DecompressionBomb:
        raise ImageTooLarge(
            width=None, height=None, max_pixels=policy.max_image_pixels, max_side=policy.max_image_side
        ) from None
    if header.content_type != content_type:
        raise UnreadableImage(f"The file starts as {content_type} but is not a picture of that format.")
    if (
        header.width * header.height > policy.max_image_pixels
        or max(header.width, header.height) > policy.max_image_side
    ):
        raise ImageTooLarge(
            width=header.width,
            height=header.height,
            max_pixels=policy.max_image_pixels,
            max_side=policy.max_image_side,
        )
    return header


async def check_picture(
    policy: MediaPolicy, images: ImageProcessor, owner_type: OwnerType, content_type: str, data: bytes
) -> None:
    """Refuse a picture of an image owner type that could not be resized later: see
    ``checked_header``; and its pixels must decode (not damaged, not truncated). Other owner
    types (payment proofs) are kept as sent."""
    if owner_type not in IMAGE_OWNER_TYPES:
        return
    await checked_header(policy, images, content_type, data)
    await images.check_decodes(data)
