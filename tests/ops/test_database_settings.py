"""What the database itself is set to (ops/migrations/0002_no_jit.py, ADR 0048): a session opened on the
migrated database plans without JIT compilation, whatever the server's default, behind a pooler too."""

import psycopg2
import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def _fresh_session_setting(name: str) -> str:
    """The setting as a new session sees it (Django's own connection may predate the migration)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg2.connect(**params) as fresh, fresh.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        value = cursor.fetchone()[0]
    fresh.close()
    return value


def test_a_new_session_on_the_migrated_database_plans_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        assert int(cursor.fetchone()[0]) >= 110000  # jit exists from PostgreSQL 11 on
    assert _fresh_session_setting("jit") == "off"


def test_the_setting_belongs_to_this_database_only():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase "
            "WHERE d.datname = current_database() AND s.setrole = 0"
        )
        rows = cursor.fetchall()
    assert any("jit=off" in row[0] for row in rows)
