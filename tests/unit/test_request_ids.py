"""Made-up request ids: 32 hex digits, never repeated by a process, different across processes."""

from __future__ import annotations

import re
import subprocess
import sys

from aquastream.adapters.http.request_id import accept_or_generate

HEX_32 = re.compile(r"[0-9a-f]{32}")


def test_a_made_up_id_has_the_shape_of_a_uuid_s_hex_and_is_never_repeated() -> None:
    ids = [accept_or_generate(None) for _ in range(10_000)]

    assert all(HEX_32.fullmatch(request_id) for request_id in ids)
    assert len(set(ids)) == len(ids)


def test_two_processes_make_different_ids() -> None:
    program = "from aquastream.adapters.http.request_id import accept_or_generate as g; print(g(None))"
    command = [sys.executable, "-c", program]
    first, second = (
        subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip() for _ in range(2)
    )

    assert HEX_32.fullmatch(first)
    assert HEX_32.fullmatch(second)
    assert first != second
