"""Stream generated rows into PostgreSQL with COPY, for the national-scale dataset.

`bulk_create` builds a model instance per row and an INSERT per batch; at a million sessions that
costs minutes. COPY takes tab-separated text straight into the table, so the generator only has
to produce strings. Rows carry explicit primary keys (so children can point at parents without a
round trip); `reset_sequences` moves each id sequence past them afterwards.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence

from django.db import connection
from django.db.models import Model

from config.crypto import EncryptedTextField, encrypt_text

CHUNK_ROWS = 100_000


def _text(value) -> str:
    """One value in PostgreSQL COPY text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, (list, tuple)):
        return "{" + ",".join(str(item) for item in value) + "}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def columns_of(model: type[Model], fields: Sequence[str]) -> list[str]:
    """Database column names of `fields` (attribute names such as `detainee_id` or `created_at`)."""
    by_attname = {f.attname: f.column for f in model._meta.concrete_fields}
    return [by_attname[name] for name in fields]


def _missing_defaults(model: type[Model], fields: Sequence[str]) -> list:
    """NOT NULL columns the generator does not name (a field added later, say): filled with the model default.

    Returns [(field, constant or None, callable or None)]; callable defaults are evaluated per row.
    """
    missing = []
    for f in model._meta.concrete_fields:
        if f.attname in fields or f.null or f.primary_key or getattr(f, "generated", False):
            continue  # a generated column (casework's search_compact) is computed by PostgreSQL, never copied
        if callable(f.default):
            missing.append((f, None, f.default))
        else:
            missing.append((f, f.get_db_prep_save(f.get_default(), connection), None))
    return missing


def _encrypted_positions(model: type[Model], fields: Sequence[str]) -> set[int]:
    """Columns encrypted at rest (config/crypto.py): COPY bypasses the field, so encrypt here."""
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return {i for i, name in enumerate(fields) if isinstance(by_attname[name], EncryptedTextField)}


def copy_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY `rows` (tuples in the order of `fields`) into `model`'s table; returns how many.

    Columns the caller leaves out get the model's default, so a field another team adds later does not
    break the generator.
    """
    encrypted = _encrypted_positions(model, fields)
    if encrypted:
        rows = (tuple(encrypt_text(v) if i in encrypted and v else v for i, v in enumerate(row)) for row in rows)
    missing = _missing_defaults(model, fields)
    if missing:
        constants = tuple(const for _, const, fn in missing if fn is None)
        callables = [fn for _, _, fn in missing if fn is not None]
        fields = [
            *fields,
            *(f.attname for f, _, fn in missing if fn is None),
            *(f.attname for f, _, fn in missing if fn),
        ]
        rows = ((*row, *constants, *(fn() for fn in callables)) for row in rows)
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(c) for c in columns_of(model, fields))
    sql = f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT text)"
    total = 0
    buffer = io.StringIO()
    pending = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg2 cursor: copy_expert is not on Django's wrapper
        for row in rows:
            buffer.write("\t".join(_text(v) for v in row))
            buffer.write("\n")
            pending += 1
            if pending >= CHUNK_ROWS:
                buffer.seek(0)
                raw.copy_expert(sql, buffer)
                total += pending
                buffer, pending = io.StringIO(), 0
        if pending:
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
            total += pending
    return total


def next_id(model: type[Model]) -> int:
    """The first free primary key of `model` (ids are assigned by the generator, see module doc)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - quoted model table name
        return cursor.fetchone()[0]


def reset_sequences(models: Iterable[type[Model]]) -> None:
    """Move each table's id sequence past the ids the generator used."""
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            quoted = connection.ops.quote_name(table)
            sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT COALESCE(MAX(id), 0) FROM {quoted}), 1))"  # noqa: S608, E501 - quoted model table name
            cursor.execute(sql, [table])


def analyze(models: Iterable[type[Model]]) -> None:
    """Fresh planner statistics after a bulk load, so the first queries get good plans; outside a transaction
    also VACUUM, which sets the visibility map that index-only scans need (a fresh COPY leaves it empty)."""
    command = "ANALYZE " if connection.in_atomic_block else "VACUUM (ANALYZE) "
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(command + connection.ops.quote_name(model._meta.db_table))
