"""The language preference: stored on the user, switched from the header by every role, applied to
every page, htmx partial and API answer; logged-out pages switch with Django's cookie."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import user_set_language
from tests.factories import api_token_for

ROLES = ["consultant", "manager", "director", "partner_with_consent", "admin_user", "dpo"]
PASSWORD = "demo-password-123"  # tests/factories.py
MY_DAY = {"nl-be": "Mijn dag", "fr-be": "Ma journée", "en": "My day"}


@pytest.fixture
def person(request):
    return request.getfixturevalue(request.param)


def switch(client, language, next_url="/"):
    return client.post(reverse("language_set"), {"language": language, "next": next_url})


def test_a_new_user_works_in_dutch(consultant):
    assert consultant.language == "nl-be" == settings.LANGUAGE_CODE


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_every_role_can_switch_and_the_choice_survives_logout_and_login(client, person):
    client.force_login(person)
    response = switch(client, "fr-be", next_url=reverse("notifications:list"))
    assert response.status_code == 302 and response.url == reverse("notifications:list")
    person.refresh_from_db()
    assert person.language == "fr-be"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr-be"

    page = client.get(reverse("casework:my_day"))
    assert page.status_code == 200 and page["Content-Language"] == "fr-be"
    assert MY_DAY["fr-be"] in page.content.decode()

    client.post(reverse("account_logout"))
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)  # another browser: only the account remembers
    assert client.login(username=person.username, password=PASSWORD)
    page = client.get(reverse("casework:my_day"))
    assert MY_DAY["fr-be"] in page.content.decode() and MY_DAY["nl-be"] not in page.content.decode()


@pytest.mark.parametrize("language", ["nl-be", "fr-be", "en"])
def test_each_language_renders_my_day(client, consultant, language):
    consultant.language = language
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    body = client.get(reverse("casework:my_day")).content.decode()
    assert f"<h1>{MY_DAY[language]}</h1>" in body
    assert f'<html lang="{language}">' in body


def test_the_header_offers_the_switch_as_a_form_without_script(client, consultant):
    client.force_login(consultant)
    body = client.get(reverse("casework:my_day")).content.decode()
    assert f'action="{reverse("language_set")}"' in body
    for code in ("nl-be", "fr-be", "en"):
        assert f'name="language" value="{code}"' in body
    # The current language is marked for assistive technology, each option is named in its own language.
    assert 'value="nl-be" lang="nl" class="btn language-option active" aria-current="true"' in body
    assert '<span class="visually-hidden"> – Français</span>' in body
    assert "onclick" not in body and "onchange" not in body


@pytest.mark.parametrize("value", ["", "de", "fr", "nl-be; DROP TABLE", "x" * 500])
def test_an_unknown_language_is_a_400_with_a_message(client, consultant, value):
    client.force_login(consultant)
    response = switch(client, value)
    assert response.status_code == 400
    assert "Kies een van deze talen: nl-be, fr-be, en." in response.content.decode()
    consultant.refresh_from_db()
    assert consultant.language == "nl-be"


def test_a_missing_language_field_is_a_400(client, consultant):
    client.force_login(consultant)
    assert client.post(reverse("language_set"), {}).status_code == 400


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/phish",
        "//evil.example/phish",
        "http://testserver.evil.example/",
        "javascript:alert(1)",
        "\\\\evil.example",
        "https:///evil.example",
    ],
)
def test_a_next_off_this_site_is_refused(client, consultant, next_url):
    client.force_login(consultant)
    response = switch(client, "en", next_url=next_url)
    assert response.status_code == 302
    assert response.url == reverse("casework:my_day")
    consultant.refresh_from_db()
    assert consultant.language == "en"


def test_a_next_on_this_site_keeps_its_query(client, consultant):
    client.force_login(consultant)
    target = reverse("casework:caseload") + "?q=el&page=2"
    assert switch(client, "en", next_url=target).url == target


def test_the_switch_needs_a_post_and_a_login(client, consultant):
    url = reverse("language_set")
    assert client.post(url, {"language": "en"}).status_code == 302  # to the login page
    client.force_login(consultant)
    assert client.get(url).status_code == 405


def test_the_switch_checks_the_csrf_token(consultant):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(consultant)
    assert client.post(reverse("language_set"), {"language": "en"}).status_code == 403
    consultant.refresh_from_db()
    assert consultant.language == "nl-be"


def test_the_service_refuses_unknown_languages_and_normalises_case(consultant):
    with pytest.raises(ValidationError) as error:
        user_set_language(user=consultant, language="de")
    assert "language" in error.value.message_dict
    user_set_language(user=consultant, language="FR-BE")
    assert User.objects.get(pk=consultant.pk).language == "fr-be"


def test_the_login_page_switches_with_the_cookie(client, db):
    response = client.post(reverse("set_language"), {"language": "fr-be", "next": reverse("account_login")})
    assert response.status_code == 302
    body = client.get(reverse("account_login")).content.decode()
    assert '<h1 class="h4 mb-1">Se connecter</h1>' in body
    assert f'action="{reverse("set_language")}"' in body


def test_the_stored_language_wins_over_the_browser(client, consultant):
    consultant.language = "en"
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr-be"
    response = client.get(reverse("casework:my_day"), HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9")
    assert MY_DAY["en"] in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_htmx_partials_speak_the_users_language(client, consultant):
    consultant.language = "fr-be"
    consultant.save(update_fields=["language"])
    client.force_login(consultant)
    response = client.get(reverse("notifications:list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["Content-Language"] == "fr-be"


# --- API ----------------------------------------------------------------------------------------------------------

BAD_NATIONAL_NUMBER = {"national_number": "85073003329"}
NATIONAL_NUMBER_ERROR = {
    "nl-be": "Ongeldig rijksregisternummer",
    "fr-be": "Numéro de registre national non valide",
    "en": "Invalid national register number",
}


@pytest.mark.parametrize("language", ["nl-be", "fr-be", "en"])
def test_api_errors_with_a_token_come_in_the_token_owners_language(consultant, detainee, language):
    consultant.language = language
    consultant.save(update_fields=["language"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(consultant)}")
    response = client.patch(
        f"/api/v1/detainees/{detainee.pk}/", BAD_NATIONAL_NUMBER, format="json", HTTP_ACCEPT_LANGUAGE="nl-BE"
    )
    assert response.status_code == 400
    assert NATIONAL_NUMBER_ERROR[language] in str(response.json()["national_number"])
    assert response["Content-Language"] == language


def test_api_errors_with_a_session_come_in_the_users_language(consultant, detainee):
    consultant.language = "fr-be"
    consultant.save(update_fields=["language"])
    client = APIClient()
    client.force_login(consultant)
    response = client.patch(f"/api/v1/detainees/{detainee.pk}/", {"first_name": ""}, format="json")
    assert response.status_code == 400
    # DRF's own messages follow too ("Ce champ ne peut être vide.").
    assert "champ" in str(response.json()["first_name"])


def test_logging_in_switches_to_the_users_language_at_once(client, consultant):
    consultant.language = "en"
    consultant.save(update_fields=["language"])
    client.post(reverse("set_language"), {"language": "fr-be", "next": reverse("account_login")})
    response = client.post(reverse("account_login"), {"login": "consultant", "password": PASSWORD}, follow=True)
    body = response.content.decode()
    # The "logged in" message is written during the login request: in the user's language, not the page's.
    assert "Successfully signed in as consultant." in body
    assert MY_DAY["en"] in body
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_administrator_sets_the_language_of_an_account(client, admin_user, consultant):
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_superuser"])
    client.force_login(admin_user)
    body = client.get(reverse("admin:accounts_user_change", args=[consultant.pk])).content.decode()
    assert 'name="language"' in body


def test_a_user_without_mfa_yet_can_switch_before_setting_it_up(client, consultant, settings):
    # The MFA set-up page is the first page a new account sees: it must be readable in the user's language.
    settings.DISENGAGE_MFA_REQUIRED = True
    client.force_login(consultant)
    assert client.get(reverse("casework:my_day")).status_code == 302  # to the MFA set-up
    response = switch(client, "fr-be", next_url=reverse("mfa_activate_totp"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    consultant.refresh_from_db()
    assert consultant.language == "fr-be"
