"""The one ``MetaData`` of the application, with predictable constraint names.

Constraint names matter: the adapters map a violated constraint to a domain error by
its name (``uq_users_email`` becomes ``EmailAlreadyRegistered``), and migrations drop
constraints by name.
"""

from __future__ import annotations

from sqlalchemy import MetaData

NAMING_CONVENTION = {
    "pk": "pk_%(table_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
