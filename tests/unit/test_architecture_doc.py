"""docs/architecture.md's table of facts and reactions is what the code declares."""

from __future__ import annotations

import importlib
from pathlib import Path

from aquastream.domain.shared.events import DomainEvent
from aquastream.ioc.subscriptions import Reactions

DOC = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"
DOMAINS = (
    "identity",
    "catalog",
    "booking",
    "payments",
    "notifications",
    "crews",
    "media",
    "webhooks",
    "tickets",
)


def facts_table() -> str:
    """The table as the code has it: every fact, its publisher, and the reactions to it."""
    reactions: dict[str, list[str]] = {}
    for domain in DOMAINS:
        table: Reactions | None = getattr(
            importlib.import_module(f"aquastream.ioc.{domain}"), "REACTIONS", None
        )
        for reaction in table.reactions if table is not None else ():
            reactions.setdefault(reaction.event_type.event_name(), []).append(reaction.subscriber)
        importlib.import_module(f"aquastream.domain.{domain}.events")
    rows = ["| Fact | Published by | Reactions (`<domain>.<UseCase>`) |", "| --- | --- | --- |"]
    for name, event_type in sorted(DomainEvent.registry.items(), key=lambda kv: (kv[1].__module__, kv[0])):
        publisher = event_type.__module__.split(".")[2]
        if publisher not in DOMAINS:
            continue  # facts that tests define for themselves
        subscribers = ", ".join(f"`{s}`" for s in sorted(reactions.get(name, []))) or "—"
        rows.append(f"| `{name}` | {publisher} | {subscribers} |")
    return "\n".join(rows)


def test_the_documented_reactions_are_the_declared_ones() -> None:
    text = DOC.read_text(encoding="utf-8")
    documented = text.split("<!-- facts:begin -->\n", 1)[1].split("\n<!-- facts:end -->", 1)[0]
    expected = facts_table()
    assert documented == expected, f"update docs/architecture.md's table to:\n{expected}"
