"""The checks of a file's bytes and name, on their own."""

from __future__ import annotations

import pytest

from aquastream.adapters.storage.sniffing import FiletypeSniffer
from aquastream.domain.media.checks import checked_format, clean_name
from aquastream.domain.media.errors import UnsupportedFileType
from aquastream.domain.media.model import MediaPolicy, OwnerType

from .samples import GIF, HTML, JPEG, PDF, PNG, WEBP


@pytest.mark.parametrize(
    ("name", "label"),
    [
        (None, None),
        ("", None),
        ("photo.jpg", "photo.jpg"),
        ("C:\\Users\\anna\\Фото реки.png", "Фото реки.png"),
        ("../../etc/passwd", "passwd"),
        ("bad\x00\x1bname.pdf", "badname.pdf"),
        ("/", None),
        ("x" * 300 + ".png", "x" * 255),
    ],
)
def test_client_file_names_become_safe_labels(name: str | None, label: str | None) -> None:
    assert clean_name(name) == label


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (WEBP, "image/webp"),
        (PDF, "application/pdf"),
        (GIF, "image/gif"),
        (HTML, None),
        (b"just some text", None),
    ],
)
def test_the_sniffer_names_formats_from_magic_numbers(data: bytes, kind: str | None) -> None:
    assert FiletypeSniffer().sniff(data) == kind


def test_the_refusal_lists_what_the_owner_type_accepts() -> None:
    with pytest.raises(UnsupportedFileType) as refused:
        checked_format(MediaPolicy(), FiletypeSniffer(), OwnerType.AVATAR, size_bytes=len(GIF), head=GIF)
    assert refused.value.extra == {
        "detectedType": "image/gif",
        "allowedTypes": ["image/jpeg", "image/png", "image/webp"],
    }
