"""The bounded store the adapters keep what they worked out once in."""

from __future__ import annotations

import pytest

from aquastream.adapters.kept import Kept


def test_a_full_store_drops_its_oldest_half_and_keeps_the_newest() -> None:
    kept: Kept[int, str] = Kept(4)
    for n in range(4):
        kept.keep(n, f"v{n}")

    assert kept.keep(4, "v4") == "v4"

    assert len(kept) == 3
    assert [kept.get(n) for n in range(5)] == [None, None, "v2", "v3", "v4"]


def test_keeping_a_key_again_replaces_its_value_and_drops_nothing() -> None:
    kept: Kept[str, int] = Kept(2)
    kept.keep("a", 1)
    kept.keep("b", 2)

    kept.keep("a", 3)

    assert (kept.get("a"), kept.get("b"), len(kept)) == (3, 2, 2)


def test_a_store_keeps_at_least_two_entries() -> None:
    with pytest.raises(ValueError, match="at least two"):
        Kept(1)
