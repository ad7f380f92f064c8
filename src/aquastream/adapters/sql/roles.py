"""The PostgreSQL roles of a deployment with one database URL per domain.

``domain_roles_sql`` writes the SQL an operator runs once, as the role that runs
``aquastream migrate`` (the owner of every schema): one login role per domain, allowed to
read and write its own schema's tables and nothing else, and one for the shared ``infra``
schema (``AQUASTREAM_DATABASE_URL`` of the serving processes), which may also read Alembic's
``alembic_version`` (readiness checks the schema is migrated). Default privileges make the
tables of later migrations theirs as well. No password is set: the operator gives each role
one (``ALTER ROLE … PASSWORD``) and puts it in that domain's URL. Any statement of a
domain's code that strays into another schema then fails with ``permission denied``.
"""

from __future__ import annotations

import re

from aquastream.adapters.sql.engine import SCHEMAS

_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def role_name(prefix: str, schema: str) -> str:
    return f"{prefix}{schema}"


def domain_roles_sql(prefix: str = "aquastream_") -> str:
    if not _NAME.match(prefix):
        raise ValueError("the role prefix takes lower-case letters, digits and underscores only")
    statements = []
    for schema in SCHEMAS:
        role = role_name(prefix, schema)
        statements.append(
            f"DO $$ BEGIN\n"
            f"  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN\n"
            f"    CREATE ROLE {role} LOGIN;\n"
            f"  END IF;\n"
            f"END $$;\n"
            f"GRANT USAGE ON SCHEMA {schema} TO {role};\n"
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role};\n"
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role};\n"
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role};\n"
            f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT USAGE, SELECT ON SEQUENCES TO {role};\n"
        )
    # The serving processes' readiness reads which revision the database is at (``schema`` check).
    statements.append(f"GRANT SELECT ON TABLE public.alembic_version TO {role_name(prefix, 'infra')};\n")
    return "\n".join(statements)
