"""The database's sessions plan without JIT compilation (docs/adr/0048-no-jit-for-short-queries.md).

Set on the database, not per connection, so that it holds behind PgBouncer in transaction pooling (which
refuses or drops the `options` startup parameter) and on a streaming replica (the setting is in the
catalogue, which the replica copies). Applies to the sessions opened after the migration."""

from django.db import migrations

SET = """
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I SET jit = off', current_database());
END $$;
"""
RESET = """
DO $$ BEGIN
    EXECUTE format('ALTER DATABASE %I RESET jit', current_database());
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("ops", "0001_outbox_message")]

    operations = [migrations.RunSQL(SET, RESET)]
