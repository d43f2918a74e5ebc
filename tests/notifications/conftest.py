import pytest

from . import kinds


@pytest.fixture
def leave_kind():
    """Registers the test kind for one test."""
    kinds.install()
    yield kinds.KIND
    kinds.uninstall()


@pytest.fixture(scope="module")
def restore_migrated_data(django_db_blocker):
    """Put the data of the data migrations (reference data, site) back after a module's
    transactional tests: their flush would otherwise leave later tests of a reused test database
    without prisons and organisations."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)
