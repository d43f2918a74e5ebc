"""Confidential notes and network notes are encrypted at rest and survive a key rotation."""

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from casework.models import CONFIDENTIAL_MAX_LENGTH, NetworkPerson, Session
from casework.services import network_person_save, session_update
from config.crypto import FieldDecryptionError
from tests.factories import NetworkPersonFactory, SessionFactory

SECRET = "Vertrouwelijk: spanningen met broer over de moskee."


def raw(table: str, column: str, pk_column: str, pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE "{pk_column}" = %s', [pk])
        return cursor.fetchone()[0]


def history_values(table: str, column: str, obj_id) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE pgh_obj_id = %s ORDER BY pgh_id', [obj_id])
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def session(detainee, consultant):
    return SessionFactory(detainee=detainee, author=consultant, confidential_notes=SECRET)


def test_the_column_holds_no_plaintext(session):
    stored = raw("casework_session", "confidential_notes", "id", session.pk)
    assert SECRET not in stored
    assert "broer" not in stored
    assert stored.startswith("gAAAAA")
    assert Session.objects.get(pk=session.pk).confidential_notes == SECRET


def test_the_history_holds_no_plaintext_either(session, consultant):
    session_update(session=session, user=consultant, confidential_notes=SECRET + " Update.")
    values = history_values("casework_sessionevent", "confidential_notes", session.pk)
    assert len(values) == 2
    assert all(value.startswith("gAAAAA") and "broer" not in value for value in values)


def test_network_notes_are_encrypted(detainee, consultant):
    person = NetworkPersonFactory(detainee=detainee)
    network_person_save(detainee=detainee, user=consultant, person=person, notes="Broer, invloed op radicalisering.")
    assert "Broer" not in raw("casework_networkperson", "notes", "id", person.pk)
    assert NetworkPerson.objects.get(pk=person.pk).notes == "Broer, invloed op radicalisering."


def test_empty_notes_stay_empty(detainee, consultant):
    session = SessionFactory(detainee=detainee, author=consultant, confidential_notes="")
    assert raw("casework_session", "confidential_notes", "id", session.pk) == ""


def test_max_length_applies_to_the_plaintext(session):
    session.confidential_notes = "x" * CONFIDENTIAL_MAX_LENGTH
    session.full_clean()  # the ciphertext is longer than the limit; only the plaintext counts
    session.confidential_notes = "x" * (CONFIDENTIAL_MAX_LENGTH + 1)
    with pytest.raises(ValidationError) as error:
        session.full_clean()
    assert "confidential_notes" in error.value.message_dict


def test_values_queries_decrypt_too(session):
    assert list(Session.objects.filter(pk=session.pk).values_list("confidential_notes", flat=True)) == [SECRET]


def test_rotation_re_encrypts_everything_with_the_new_key(session, consultant, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    session_update(session=session, user=consultant, summary="Tweede versie.")
    history_before = history_values("casework_sessionevent", "confidential_notes", session.pk)
    new_key = Fernet.generate_key().decode()

    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("rotate_field_keys", stdout=open("/dev/null", "w"))
        # The rotation itself is not recorded as a change of the session.
        assert len(history_values("casework_sessionevent", "confidential_notes", session.pk)) == len(history_before)

    # With only the new key, live rows and history both still decrypt.
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert Session.objects.get(pk=session.pk).confidential_notes == SECRET
        new_fernet = Fernet(new_key.encode())
        for token in history_values("casework_sessionevent", "confidential_notes", session.pk):
            assert new_fernet.decrypt(token.encode()).decode() == SECRET

    # The old key alone can no longer read the data.
    with override_settings(FIELD_ENCRYPTION_KEYS=[old_key]), pytest.raises(FieldDecryptionError):
        Session.objects.get(pk=session.pk)


def test_a_wrong_key_fails_loudly_without_echoing_the_value(session):
    with override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        with pytest.raises(FieldDecryptionError) as error:
            Session.objects.get(pk=session.pk)
    assert "gAAAAA" not in str(error.value)


def test_rotation_covers_mfa_secrets(consultant, settings):
    from allauth.mfa.models import Authenticator

    from accounts.services import user_enrol_totp
    from config.crypto import decrypt_text

    user_enrol_totp(user=consultant, secret="JBSWY3DPEHPK3PXP")
    old_key, new_key = settings.FIELD_ENCRYPTION_KEYS[0], Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("rotate_field_keys", stdout=open("/dev/null", "w"))
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        totp = Authenticator.objects.get(user=consultant, type="totp")
        assert decrypt_text(totp.data["secret"]) == "JBSWY3DPEHPK3PXP"
        decrypt_text(Authenticator.objects.get(user=consultant, type="recovery_codes").data["seed"])
