"""File formats recognised from their magic numbers by the ``filetype`` library (pinned
1.2: no dependencies, pure Python, it reads only the first bytes it is given)."""

from __future__ import annotations

import filetype

# filetype looks at no more than 8 KiB; a few of its matchers (Office, EPUB) want that much.
HEAD_BYTES = 8192


class FiletypeSniffer:
    bytes_needed = HEAD_BYTES

    def sniff(self, head: bytes) -> str | None:
        kind = filetype.guess(head)
        return None if kind is None else str(kind.mime)
