"""Small files whose first bytes are what real files of each format start with."""

from __future__ import annotations

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00" + b"\x00" * 64
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
WEBP = b"RIFF\x24\x00\x00\x00WEBPVP8 \x18\x00\x00\x00" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + b" " * 64
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 64
# A web page named and labelled as a picture: what the checks exist to catch.
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def sized(head: bytes, size: int) -> bytes:
    """``head`` padded to ``size`` bytes."""
    return head + b"\x00" * (size - len(head))
