"""Shared by bin/backup and bin/restore: connection settings from DATABASE_URL, row counts and table digests.

The digest of a table is the md5 of all its rows' text, in a fixed order: two databases with the same digest
for the change-history and audit tables hold the same history, row for row.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import environ
import psycopg2
from psycopg2 import sql

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/disengage"


def db_settings(url: str | None = None) -> dict:
    url = url or os.environ.get("DATABASE_URL") or DEFAULT_URL
    return environ.Env.db_url_config(url)


def libpq_env(config: dict, dbname: str | None = None) -> dict[str, str]:
    """PG* variables for pg_dump / pg_restore / createdb (the password never appears on a command line)."""
    env = dict(os.environ)
    host = config.get("OPTIONS", {}).get("host") or config.get("HOST") or ""
    for name, value in (
        ("PGHOST", host),
        ("PGPORT", config.get("PORT")),
        ("PGUSER", config.get("USER")),
        ("PGPASSWORD", config.get("PASSWORD")),
        ("PGDATABASE", dbname or config.get("NAME")),
    ):
        if value:
            env[name] = str(value)
    return env


def connect(config: dict, dbname: str | None = None):
    host = config.get("OPTIONS", {}).get("host") or config.get("HOST") or None
    return psycopg2.connect(
        dbname=dbname or config["NAME"],
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=host,
        port=config.get("PORT") or None,
    )


def tables(conn) -> list[str]:
    with conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        return [row[0] for row in cursor.fetchall()]


def history_tables(names: list[str]) -> list[str]:
    """pghistory's event tables, the read audit and the disclosure log."""
    return [
        n for n in names if n.endswith("event") or n in ("casework_accesslog", "casework_disclosure", "pgh_context")
    ]


def row_counts(conn) -> dict[str, int]:
    counts = {}
    with conn.cursor() as cursor:
        for name in tables(conn):
            cursor.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(name)))
            counts[name] = cursor.fetchone()[0]
    return counts


def table_digest(conn, name: str) -> str:
    digest = hashlib.sha256()
    with conn.cursor(name=f"digest_{name}"[:60]) as cursor:  # server-side cursor: constant memory
        cursor.itersize = 5000
        cursor.execute(sql.SQL("SELECT t::text FROM {} AS t ORDER BY 1").format(sql.Identifier(name)))
        for (row,) in cursor:
            digest.update(row.encode())
            digest.update(b"\n")
    return digest.hexdigest()


def history_digests(conn) -> dict[str, str]:
    return {name: table_digest(conn, name) for name in history_tables(tables(conn))}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
