"""Every table of every domain on one ``MetaData``: what migrations are compared against.

Each domain's tables live in their own module and PostgreSQL schema; importing a module
registers its tables, so a new domain adds its module to the imports below.
"""

from __future__ import annotations

from aquastream.adapters.sql.tables import (
    booking,
    catalog,
    crews,
    identity,
    infra,
    media,
    notifications,
    payments,
    tickets,
    webhooks,
)
from aquastream.adapters.sql.tables.base import NAMING_CONVENTION, metadata

__all__ = [
    "NAMING_CONVENTION",
    "booking",
    "catalog",
    "crews",
    "identity",
    "infra",
    "media",
    "metadata",
    "notifications",
    "payments",
    "tickets",
    "webhooks",
]
