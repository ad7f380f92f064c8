"""Small files of each format: real pictures (Pillow makes them) where the media checks
decode them, and files whose first bytes are what real files of the other formats start
with; and the pictures that must be refused (damaged ones, decompression bombs)."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

EXIF_ORIENTATION = 0x0112


def picture(
    fmt: str, size: tuple[int, int] = (4, 3), *, orientation: int | None = None, mode: str = "RGB"
) -> bytes:
    """A ``size`` picture in ``fmt``: its left half red, its right half blue (so that a turn
    shows in the pixels), with an EXIF orientation tag when asked."""
    image = Image.new(mode, size, "red")
    image.paste("blue", (size[0] // 2, 0, size[0], size[1]))
    out = io.BytesIO()
    if orientation is None:
        image.save(out, fmt)
    else:
        exif = Image.Exif()
        exif[EXIF_ORIENTATION] = orientation
        image.save(out, fmt, exif=exif)
    return out.getvalue()


PNG = picture("PNG")
JPEG = picture("JPEG")
WEBP = picture("WEBP")
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b" " * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 64
# A web page named and labelled as a picture: what the checks exist to catch.
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
# A PNG's first bytes and header, then noise: a picture's name on bytes that are none.
DAMAGED_PNG = PNG[:33] + b"\x13\x37" * 64
# A JPEG cut off halfway through its pixels.
TRUNCATED_JPEG = picture("JPEG", (64, 64))[:-200]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A PNG of a few hundred bytes whose header announces ``width`` by ``height`` pixels: its
    one compressed row of zeros would inflate to gigabytes if every row were decoded."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\x00" * (width + 1))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


def sized(head: bytes, size: int) -> bytes:
    """``head`` padded to ``size`` bytes."""
    return head + b"\x00" * (size - len(head))
