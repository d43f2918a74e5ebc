"""Mijn dag and the caseload list: what each role finds there, search, filters, and query counts."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from casework import services
from casework.models import Detainee, Prison
from tests.factories import ConsentFactory, DetaineeFactory, ListingFactory, SessionFactory

BRUSSELS_MORNING = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


def panel(response, name):
    """The data of one "Mijn dag" panel (other apps add panels of their own)."""
    return next(item["data"] for item in response.context["panels"] if item["name"] == name)


# --- Mijn dag --------------------------------------------------------------------------------------------


@time_machine.travel(BRUSSELS_MORNING, tick=False)
def test_my_day_shows_a_consultants_sessions_of_today_and_caseload(client, consultant, detainee):
    SessionFactory(detainee=detainee, author=consultant, started_at=timezone.now() - dt.timedelta(hours=1))
    SessionFactory(detainee=detainee, author=consultant, started_at=timezone.now() - dt.timedelta(days=3))
    client.force_login(consultant)
    response = client.get(reverse("casework:my_day"))
    assert response.status_code == 200
    names = [item["name"] for item in response.context["panels"]]
    assert names.index("today_sessions") < names.index("own_caseload")
    today = panel(response, "today_sessions")["sessions"]
    assert len(today) == 1
    caseload = panel(response, "own_caseload")["detainees"]
    assert [d.pk for d in caseload] == [detainee.pk]
    # The last contact is the most recent session, whatever its age.
    assert caseload[0].last_contact == timezone.now() - dt.timedelta(hours=1)
    assert reverse("casework:session_create", args=[detainee.pk]) in response.content.decode()


def test_my_day_lists_co_consultant_files_too(client, consultant, colleague, caw):
    shared = DetaineeFactory(organisation=caw, lead_consultant=colleague)
    shared.co_consultants.add(consultant)
    DetaineeFactory(organisation=caw, lead_consultant=colleague)  # not on the consultant's team
    client.force_login(consultant)
    detainees = panel(client.get(reverse("casework:my_day")), "own_caseload")["detainees"]
    assert [d.pk for d in detainees] == [shared.pk]


def test_my_day_for_a_manager_counts_the_organisations_caseload(client, manager, consultant, detainee, caw):
    DetaineeFactory(organisation=caw, lead_consultant=None)
    DetaineeFactory(organisation=caw, in_scope=False)
    client.force_login(manager)
    figures = panel(client.get(reverse("casework:my_day")), "organisation_figures")["figures"]
    assert (figures.total, figures.in_scope, figures.without_lead) == (3, 2, 1)
    assert (consultant, 1) in figures.per_consultant


def test_my_day_for_a_director_lists_his_prisons_detainees(client, director, detainee, caw):
    DetaineeFactory(organisation=caw, current_prison=Prison.objects.get(code="gent"))
    client.force_login(director)
    response = client.get(reverse("casework:my_day"))
    assert [d.pk for d in panel(response, "prison_detainees")["detainees"]] == [detainee.pk]


def test_my_day_for_a_partner_lists_files_shared_with_them(
    client, partner_with_consent, partner_without_consent, detainee
):
    client.force_login(partner_with_consent)
    assert [d.pk for d in panel(client.get("/"), "shared_with_me")["detainees"]] == [detainee.pk]
    client.force_login(partner_without_consent)
    response = client.get("/")
    assert panel(response, "shared_with_me")["detainees"] == []
    assert "Nog niets gedeeld" in response.content.decode()


@pytest.mark.parametrize("persona, text", [("admin_user", "/beheer/"), ("dpo", "Gegevensbescherming")])
def test_my_day_points_admin_and_dpo_to_their_tools_without_case_content(client, request, detainee, persona, text):
    client.force_login(request.getfixturevalue(persona))
    body = client.get("/").content.decode()
    assert text in body
    assert detainee.last_name not in body


def test_my_day_query_count_is_constant(client, consultant, caw, django_assert_num_queries):
    for size in (10, 200):
        existing = Detainee.objects.count()
        for _ in range(size - existing):
            SessionFactory(
                detainee=DetaineeFactory(organisation=caw, lead_consultant=consultant),
                author=consultant,
                started_at=timezone.now() - dt.timedelta(minutes=5),
            )
        client.force_login(consultant)
        # 1 session, 1 user, 1 today's sessions (+ detainee), 1 own caseload (+ last contact subquery), and the
        # panels of the other apps: 1 planned contacts (diary), 1 reminders due (notifications), 1 conferences of
        # the week and 1 minutes to do (casusoverleg)
        with django_assert_num_queries(8):
            client.get(reverse("casework:my_day"))


# --- Caseload ---------------------------------------------------------------------------------------------


def test_login_lands_on_my_day(client, consultant):
    response = client.post(reverse("account_login"), {"login": "consultant", "password": "demo-password-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("casework:my_day")


def test_login_page_is_dutch_and_uses_our_layout(client, db):
    body = client.get(reverse("account_login")).content.decode()
    assert "Aanmelden" in body and "Gebruikersnaam" in body
    assert "app-navbar" in body


def test_wrong_password_gets_a_clear_message(client, consultant):
    response = client.post(reverse("account_login"), {"login": "consultant", "password": "wrong"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()


def test_search_ignores_case_and_accents(client, consultant, caw):
    services.detainee_create(user=consultant, first_name="Emre", last_name="Çelik", legal_status="convicted")
    services.detainee_create(user=consultant, first_name="Jonas", last_name="Peeters", legal_status="accused")
    client.force_login(consultant)
    page = client.get(reverse("casework:caseload"), {"q": "CELIK"}).context["page"]
    assert [d.last_name for d in page.object_list] == ["Çelik"]
    page = client.get(reverse("casework:caseload"), {"q": "emre çel"}).context["page"]
    assert [d.last_name for d in page.object_list] == ["Çelik"]


def test_live_search_returns_only_the_results_partial(client, consultant, detainee):
    client.force_login(consultant)
    response = client.get(reverse("casework:caseload"), {"q": "amrani"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "El Amrani" in body
    assert [t.name for t in response.templates][0] == "casework/caseload/_results.html"


def test_the_search_box_asks_htmx_to_search_as_you_type(client, consultant):
    client.force_login(consultant)
    body = client.get(reverse("casework:caseload")).content.decode()
    assert 'hx-get="/gedetineerden/"' in body
    assert "input changed delay:300ms" in body


def test_filters_by_prison_scope_and_legal_status(client, consultant, caw, detainee):
    gent = Prison.objects.get(code="gent")
    in_gent = DetaineeFactory(organisation=caw, current_prison=gent, legal_status="accused")
    out_of_scope = DetaineeFactory(organisation=caw, in_scope=False)
    client.force_login(consultant)

    def names(**params):
        return {d.pk for d in client.get(reverse("casework:caseload"), params).context["page"].object_list}

    assert names(prison=gent.pk) == {in_gent.pk}
    assert names(scope="out") == {out_of_scope.pk}
    assert names(scope="in") == {detainee.pk, in_gent.pk}
    assert names(legal_status="accused") == {in_gent.pk}
    # Unknown filter values are ignored, never a 500.
    assert client.get(reverse("casework:caseload"), {"prison": "nope", "scope": "x"}).status_code == 200


def test_it_hides_other_organisations_detainees(client, outsider, detainee):
    client.force_login(outsider)
    assert list(client.get(reverse("casework:caseload")).context["page"].object_list) == []


def test_it_paginates_by_25(client, consultant, caw):
    DetaineeFactory.create_batch(30, organisation=caw)
    client.force_login(consultant)
    first = client.get(reverse("casework:caseload")).context["page"]
    assert len(first.object_list) == 25 and first.paginator.num_pages == 2
    second = client.get(reverse("casework:caseload"), {"page": 2}).context["page"]
    assert len(second.object_list) == 5
    # A page number out of range shows the last page instead of an error.
    assert client.get(reverse("casework:caseload"), {"page": 99}).status_code == 200


def test_the_list_never_shows_the_national_number(client, consultant):
    services.detainee_create(
        user=consultant, first_name="Ali", last_name="Test", legal_status="convicted", national_number="85073003328"
    )
    client.force_login(consultant)
    body = client.get(reverse("casework:caseload")).content.decode()
    assert "Test" in body and "85073003328" not in body


def test_columns_show_listing_lead_and_last_contact(client, consultant, detainee):
    ListingFactory(detainee=detainee, category="ftf", threat_level=3)
    SessionFactory(detainee=detainee, author=consultant, started_at=timezone.now() - dt.timedelta(days=2))
    client.force_login(consultant)
    body = client.get(reverse("casework:caseload")).content.decode()
    assert "Foreign terrorist fighter" in body and "niveau 3" in body
    assert str(consultant) in body
    assert timezone.localtime(timezone.now() - dt.timedelta(days=2)).strftime("%d/%m/%Y") in body


def test_directors_do_not_see_last_contact(client, director, detainee, consultant):
    SessionFactory(detainee=detainee, author=consultant)
    client.force_login(director)
    response = client.get(reverse("casework:caseload"))
    assert response.context["show_last_contact"] is False
    assert "Laatste contact" not in response.content.decode()


@pytest.mark.parametrize("persona, expected", [("consultant", 6), ("director", 6), ("partner_with_consent", 5)])
def test_caseload_query_count_is_constant(client, request, caw, hasselt, django_assert_num_queries, persona, expected):
    user = request.getfixturevalue(persona)
    for size in (10, 200):
        for _ in range(size - Detainee.objects.count()):
            person = DetaineeFactory(organisation=caw, current_prison=hasselt)
            ListingFactory(detainee=person)
            if user.is_consultant:
                SessionFactory(detainee=person, author=user)
            if user.is_partner:
                ConsentFactory(detainee=person, organisation=user.organisation, scopes=["identity"])
        client.force_login(user)
        # consultant: 1 session, 1 user, 1 count, 1 page of detainees (last contact as a subquery),
        #   1 listings in force (prefetch), 1 prisons for the filter
        # director: the same (no last contact, same number of queries)
        # partner: as the director, without the listings prefetch (partners do not see listings)
        with django_assert_num_queries(expected):
            response = client.get(reverse("casework:caseload"))
        assert response.context["page"].paginator.count == size


# --- allauth pages a user meets -----------------------------------------------------------------------------


def test_logout_page_is_dutch_and_logs_out(client, consultant):
    client.force_login(consultant)
    body = client.get(reverse("account_logout")).content.decode()
    assert "Wil je je afmelden?" in body and "app-navbar" in body
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("casework:my_day"))["Location"].startswith(reverse("account_login"))


def test_password_change_page_is_dutch_and_checks_the_old_password(client, consultant):
    client.force_login(consultant)
    url = reverse("account_change_password")
    assert "Wachtwoord wijzigen" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "oldpassword": "wrong",
            "password1": "een-lang-nieuw-wachtwoord-42",
            "password2": "een-lang-nieuw-wachtwoord-42",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors.get("oldpassword")
    consultant.refresh_from_db()
    assert consultant.check_password("demo-password-123")
