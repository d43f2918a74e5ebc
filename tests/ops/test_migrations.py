"""Upgrades must be reversible (docs/deploy.md): every data migration of the project can be rolled back."""

import pytest
from django.apps import apps
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython, RunSQL

PROJECT_APPS = {config.label for config in apps.get_app_configs() if not config.path.count("site-packages")}


def project_migrations():
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)  # from disk, no database needed
    return [migration for (app, _name), migration in sorted(loader.disk_migrations.items()) if app in PROJECT_APPS]


def test_the_project_has_migrations():
    assert {m.app_label for m in project_migrations()} >= {"accounts", "casework", "trajectories"}


@pytest.mark.parametrize("migration", project_migrations(), ids=lambda m: f"{m.app_label}.{m.name}")
def test_every_data_migration_is_reversible(migration):
    for operation in migration.operations:
        if isinstance(operation, RunPython):
            assert operation.reversible, f"{migration.app_label}.{migration.name}: RunPython without reverse_code"
        if isinstance(operation, RunSQL):
            assert operation.reversible, f"{migration.app_label}.{migration.name}: RunSQL without reverse_sql"
