"""The admin site (/beheer/) per role (docs/design.md §4: reference data and users, admin only; accounts/permissions.py).

The functional administrator lists, adds and changes the accounts and the reference data, and nothing else:
no case model, no other app. He cannot give privileges (superuser, staff, groups, permissions) nor touch a
superuser's account; the admin-site flag follows the role; deactivating ends sessions and API tokens.
Deleting names no case content and never ends in an error page. Every other role has no admin site.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django import forms
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.models import Session as DjangoSession
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ApiToken, Organisation, User
from casework.models import InterventionModule, LifeDomain, Prison
from casusoverleg.models import CadenceRule
from notifications.models import ReminderSetting
from tests.factories import DetaineeFactory, PlacementFactory, SessionFactory, UserFactory, api_token_for
from tests.trajectories.factories import TrajectoryFactory
from trajectories.models import Assessment, AssessmentItem, AssessmentSection, AssessmentTemplate

pytestmark = pytest.mark.django_db

# app label → the models the administrator manages there (accounts/permissions.py).
MANAGED = {
    "accounts": {"user", "organisation"},
    "casework": {"prison", "lifedomain", "interventionmodule"},
    "trajectories": {"assessmenttemplate", "assessmentsection"},
    "casusoverleg": {"cadencerule", "standingmember"},
    "notifications": {"remindersetting"},
    "diary": {"visitingslot"},
}
# Registered in the admin, but not for the administrator (case content, or other apps' machinery).
CLOSED = [
    "trajectories_trajectory",
    "auth_group",
    "mfa_authenticator",
    "account_emailaddress",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
    "django_celery_beat_periodictask",
    "pghistory_events",
    "sites_site",
]
# Case models are not registered at all: the admin site does not know them.
UNREGISTERED = [
    "/beheer/diary/plannedcontact/",
    "/beheer/casework/detainee/",
    "/beheer/casework/session/",
    "/beheer/casework/consent/",
    "/beheer/casusoverleg/conference/",
    "/beheer/casusoverleg/minutes/",
    "/beheer/trajectories/goal/",
    "/beheer/trajectories/assessment/",
    "/beheer/notifications/reminder/",
    "/beheer/casework/accesslog/",
]


def admin_url(model: str, view: str = "changelist", *args) -> str:
    return reverse(f"admin:{model}_{view}", args=args)


def form_data(response) -> dict:
    """What the browser would send back for the admin form in `response`, unchanged (inline formsets and their
    management forms included)."""
    data = {}

    def add(form):
        for field in form:
            if field.field.disabled:
                continue
            value = field.field.prepare_value(field.value())
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(item) for item in value]
            else:
                data[field.html_name] = "" if value is None else str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def admin_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def admin(admin_user):
    return admin_client(admin_user)


@pytest.fixture
def superuser(caw):
    return UserFactory(username="root", admin=True, is_superuser=True, organisation=caw)


def unused_template() -> AssessmentTemplate:
    template = AssessmentTemplate.objects.create(code="eigen", name="Eigen instrument", version=1)
    section = AssessmentSection.objects.create(template=template, code="deel1", title="Eerste deel")
    AssessmentItem.objects.create(section=section, code="item1", label="Eerste item", kind="need")
    return template


def used_template(detainee, consultant) -> AssessmentTemplate:
    template = unused_template()
    Assessment.objects.create(
        trajectory=TrajectoryFactory(detainee=detainee),
        template=template,
        assessed_on=dt.date(2025, 2, 1),
        assessor=consultant,
    )
    return template


# --- What the administrator sees ------------------------------------------------------------------------


def test_the_index_shows_the_reference_data_and_the_accounts_only(admin):
    response = admin.get(reverse("admin:index"))
    assert response.status_code == 200
    shown = {
        app["app_label"]: {model["object_name"].lower() for model in app["models"]}
        for app in response.context["app_list"]
    }
    assert shown == MANAGED


@pytest.mark.parametrize("model", sorted(f"{app}_{name}" for app, names in MANAGED.items() for name in names))
def test_the_administrator_opens_the_list_and_the_add_form_of(admin, model):
    assert admin.get(admin_url(model)).status_code == 200
    assert admin.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", CLOSED)
def test_the_administrator_gets_no_other_apps_admin(admin, model):
    assert admin.get(admin_url(model)).status_code == 403


def test_the_administrator_cannot_open_a_trajectory(admin, detainee):
    trajectory = TrajectoryFactory(detainee=detainee)
    assert admin.get(admin_url("trajectories_trajectory", "change", trajectory.pk)).status_code == 403
    assert admin.get(admin_url("trajectories_trajectory", "history", trajectory.pk)).status_code == 403


def test_a_group_granting_the_trajectory_permission_opens_nothing(admin, admin_user, detainee):
    """Trajectories are for superusers' support only, whatever the model permissions say."""
    group = Group.objects.create(name="Te ruim")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="trajectories", codename__endswith="trajectory")
    )
    admin_user.groups.add(group)
    trajectory = TrajectoryFactory(detainee=detainee)
    assert admin.get(admin_url("trajectories_trajectory")).status_code == 403
    assert admin.get(admin_url("trajectories_trajectory", "change", trajectory.pk)).status_code == 403


@pytest.mark.parametrize("path", UNREGISTERED)
def test_case_models_do_not_exist_in_the_admin(admin, path):
    assert admin.get(path).status_code == 404


def test_the_superuser_still_sees_trajectories(client, superuser, detainee):
    client.force_login(superuser)
    trajectory = TrajectoryFactory(detainee=detainee)
    assert client.get(admin_url("trajectories_trajectory", "change", trajectory.pk)).status_code == 200


# --- Every other role ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["consultant", "manager", "director", "partner_with_consent", "dpo"])
def test_other_roles_have_no_admin_site(client, request, persona):
    """Without the admin-site flag the admin sends them to its login, which refuses someone already logged in
    (403) instead of bouncing him to allauth's login and back."""
    user = request.getfixturevalue(persona)
    assert not user.is_staff
    client.force_login(user)
    for path in (reverse("admin:index"), admin_url("accounts_user"), admin_url("casework_prison", "add")):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert client.get(response["Location"]).status_code == 403
    assert client.post(admin_url("casework_prison", "add"), {"name": "X"}).status_code == 302
    assert not Prison.objects.filter(name="X").exists()


@pytest.mark.parametrize("persona", ["consultant", "dpo"])
def test_the_admin_site_flag_alone_grants_nothing(client, request, persona):
    """Even with the flag set by hand, a role other than admin has no app and no model in the admin."""
    user = request.getfixturevalue(persona)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200 and response.context["app_list"] == []
    assert client.get(admin_url("accounts_user")).status_code == 403
    assert client.get(admin_url("casework_prison")).status_code == 403


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(admin_url("accounts_user"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


# --- Accounts ------------------------------------------------------------------------------------------


def test_the_administrator_adds_an_account_whose_admin_flag_follows_the_role(admin, caw):
    # No password on the form: a password sent anyway is ignored, the user chooses his own (docs/adr/0025).
    response = admin.post(
        admin_url("accounts_user", "add"),
        {
            "username": "nieuwe.beheerder",
            "usable_password": "true",
            "password1": "Een-lang-wachtwoord-9",
            "password2": "Een-lang-wachtwoord-9",
            "first_name": "Nina",
            "last_name": "Claes",
            "email": "nina@example.org",
            "role": "admin",
            "organisation": caw.pk,
            "language": "nl-be",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    created = User.objects.get(username="nieuwe.beheerder")
    assert created.is_staff and not created.is_superuser and created.role == "admin"
    assert not created.has_usable_password() and not created.check_password("Een-lang-wachtwoord-9")

    response = admin.post(
        admin_url("accounts_user", "add"),
        {
            "username": "nieuwe.consulent",
            "role": "consultant",
            "organisation": caw.pk,
            "email": "consulent@example.org",
            "language": "fr-be",
            "is_staff": "on",
        },
    )
    assert response.status_code == 302
    consultant = User.objects.get(username="nieuwe.consulent")
    assert not consultant.is_staff and not consultant.has_usable_password() and consultant.language == "fr-be"


def test_the_role_decides_the_admin_flag_when_it_changes(admin, consultant):
    url = admin_url("accounts_user", "change", consultant.pk)
    data = form_data(admin.get(url))
    assert admin.post(url, {**data, "role": "admin"}).status_code == 302
    consultant.refresh_from_db()
    assert consultant.is_staff
    assert admin.post(url, {**data, "role": "manager"}).status_code == 302
    consultant.refresh_from_db()
    assert not consultant.is_staff and consultant.role == "manager"


def test_the_privilege_fields_are_neither_shown_nor_taken(admin, consultant):
    url = admin_url("accounts_user", "change", consultant.pk)
    response = admin.get(url)
    html = response.content.decode()
    for name in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{name}"' not in html
    group = Group.objects.create(name="Alles")
    permission = Permission.objects.get(codename="change_user", content_type__app_label="accounts")
    response = admin.post(
        url,
        {
            **form_data(response),
            "first_name": "Sarah",
            "is_superuser": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "user_permissions": [permission.pk],
        },
    )
    assert response.status_code == 302
    consultant.refresh_from_db()
    assert consultant.first_name == "Sarah"
    assert not consultant.is_superuser and not consultant.is_staff
    assert not consultant.groups.exists() and not consultant.user_permissions.exists()


def test_the_administrator_cannot_make_himself_superuser(admin, admin_user):
    url = admin_url("accounts_user", "change", admin_user.pk)
    response = admin.post(url, {**form_data(admin.get(url)), "is_superuser": "on"})
    assert response.status_code == 302
    admin_user.refresh_from_db()
    assert not admin_user.is_superuser and admin_user.is_staff


def test_a_superusers_account_is_read_only_for_the_administrator(admin, superuser):
    url = admin_url("accounts_user", "change", superuser.pk)
    response = admin.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="_save"' not in html and 'name="username"' not in html
    assert superuser.password not in html
    assert admin.post(url, {"username": "root", "role": "consultant", "language": "nl-be"}).status_code == 403
    assert admin.get(reverse("admin:auth_user_password_change", args=[superuser.pk])).status_code == 403
    response = admin.post(admin_url("accounts_user"), {"action": "deactivate", "_selected_action": [superuser.pk]})
    assert response.status_code == 302
    superuser.refresh_from_db()
    assert superuser.is_active and superuser.is_superuser and superuser.role == "admin"


def test_the_service_refuses_an_escalation_the_form_would_not_send(admin_user, consultant):
    """The server-side check behind the hidden fields."""
    from django.core.exceptions import PermissionDenied

    from accounts.services import user_save_by_admin

    consultant.is_superuser = True
    with pytest.raises(PermissionDenied):
        user_save_by_admin(user=consultant, by=admin_user, creating=False)
    assert not User.objects.get(pk=consultant.pk).is_superuser


def test_a_superuser_keeps_the_privilege_fields(client, superuser, consultant):
    client.force_login(superuser)
    html = client.get(admin_url("accounts_user", "change", consultant.pk)).content.decode()
    assert 'name="is_superuser"' in html and 'name="groups"' in html


# --- Deactivation ----------------------------------------------------------------------------------------


def logged_in_elsewhere(user) -> Client:
    other = Client()
    other.force_login(user)
    assert other.get(reverse("casework:my_day")).status_code == 200
    return other


def live_session_users() -> set[str]:
    return {
        str(s.get_decoded().get("_auth_user_id")) for s in DjangoSession.objects.filter(expire_date__gt=timezone.now())
    }


def test_unticking_active_ends_the_sessions_and_tokens(admin, admin_user, consultant):
    browser = logged_in_elsewhere(consultant)
    api_token_for(consultant)
    url = admin_url("accounts_user", "change", consultant.pk)
    data = form_data(admin.get(url))
    data.pop("is_active")
    assert admin.post(url, data).status_code == 302
    consultant.refresh_from_db()
    assert not consultant.is_active
    assert str(consultant.pk) not in live_session_users()
    assert str(admin_user.pk) in live_session_users()
    assert not ApiToken.objects.filter(user=consultant).exists()
    assert browser.get(reverse("casework:my_day")).status_code == 302


def test_the_deactivate_action_ends_the_sessions_and_tokens(admin, admin_user, consultant, manager):
    logged_in_elsewhere(consultant)
    logged_in_elsewhere(manager)
    api_token_for(consultant)
    api_token_for(manager)
    response = admin.post(
        admin_url("accounts_user"),
        {"action": "deactivate", "_selected_action": [consultant.pk, manager.pk, admin_user.pk]},
        follow=True,
    )
    assert "2 accounts gedeactiveerd" in response.content.decode()
    assert "1 account niet gedeactiveerd" in response.content.decode()
    assert set(User.objects.filter(is_active=False).values_list("username", flat=True)) == {"consultant", "manager"}
    assert not ApiToken.objects.exists()
    assert {str(consultant.pk), str(manager.pk)}.isdisjoint(live_session_users())
    admin_user.refresh_from_db()
    assert admin_user.is_active


def test_the_administrator_cannot_deactivate_himself(admin, admin_user):
    url = admin_url("accounts_user", "change", admin_user.pk)
    data = form_data(admin.get(url))
    data.pop("is_active")
    response = admin.post(url, data)
    assert response.status_code == 200
    assert "Je kan je eigen account niet deactiveren." in response.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active


# --- Reference data ----------------------------------------------------------------------------------------


def test_the_administrator_adds_and_changes_a_prison_with_its_directors(admin, director):
    response = admin.post(
        admin_url("casework_prison", "add"),
        {
            "code": "proef",
            "name": "Proefgevangenis",
            "city": "Brussel",
            "region": "brussels",
            "capacity": "1190",
            "directors": [director.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    prison = Prison.objects.get(code="proef")
    assert list(prison.directors.all()) == [director]
    url = admin_url("casework_prison", "change", prison.pk)
    assert admin.post(url, {**form_data(admin.get(url)), "capacity": "1200", "directors": []}).status_code == 302
    prison.refresh_from_db()
    assert prison.capacity == 1200 and not prison.directors.exists()


def test_the_administrator_adds_and_changes_an_organisation(admin):
    assert (
        admin.post(
            admin_url("accounts_organisation", "add"), {"name": "Huis van Vrede", "kind": "other", "is_active": "on"}
        ).status_code
        == 302
    )
    organisation = Organisation.objects.get(name="Huis van Vrede")
    url = admin_url("accounts_organisation", "change", organisation.pk)
    data = form_data(admin.get(url))
    data.pop("is_active")
    assert admin.post(url, data).status_code == 302
    organisation.refresh_from_db()
    assert not organisation.is_active


def test_the_administrator_adds_and_changes_life_domains_and_modules(admin):
    assert (
        admin.post(
            admin_url("casework_lifedomain", "add"), {"code": "eigen", "name": "Eigen domein", "order": "50"}
        ).status_code
        == 302
    )
    domain = LifeDomain.objects.get(code="eigen")
    url = admin_url("casework_lifedomain", "change", domain.pk)
    assert admin.post(url, {**form_data(admin.get(url)), "required": "on"}).status_code == 302
    domain.refresh_from_db()
    assert domain.required

    assert (
        admin.post(
            admin_url("casework_interventionmodule", "add"),
            {"code": "eigen", "name": "Eigen module", "order": "9", "is_active": "on"},
        ).status_code
        == 302
    )
    module = InterventionModule.objects.get(code="eigen")
    url = admin_url("casework_interventionmodule", "change", module.pk)
    data = form_data(admin.get(url))
    data.pop("is_active")
    assert admin.post(url, data).status_code == 302
    module.refresh_from_db()
    assert not module.is_active


def test_the_administrator_builds_an_instrument_with_sections_and_items(admin):
    response = admin.post(
        admin_url("trajectories_assessmenttemplate", "add"),
        {
            "code": "erg",
            "version": "1",
            "name": "Extremism Risk Guidance",
            "description": "",
            "is_active": "on",
            "sections-TOTAL_FORMS": "1",
            "sections-INITIAL_FORMS": "0",
            "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000",
            "sections-0-code": "betrokkenheid",
            "sections-0-title": "Betrokkenheid",
            "sections-0-order": "1",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    section = AssessmentSection.objects.get(template__code="erg")
    url = admin_url("trajectories_assessmentsection", "change", section.pk)
    data = form_data(admin.get(url))
    data.update(
        {
            "items-TOTAL_FORMS": "1",
            "items-0-code": "nood",
            "items-0-label": "Nood aan identiteit",
            "items-0-scale": "0_2",
            "items-0-kind": "need",
            "items-0-order": "1",
            "items-0-guidance": "",
        }
    )
    assert admin.post(url, data).status_code == 302
    assert list(section.items.values_list("code", flat=True)) == ["nood"]


def test_an_instrument_in_use_is_read_only_except_switching_it_off(admin, detainee, consultant):
    template = used_template(detainee, consultant)
    section = template.sections.get()
    url = admin_url("trajectories_assessmenttemplate", "change", template.pk)
    response = admin.get(url)
    html = response.content.decode()
    assert 'name="name"' not in html and 'name="sections-0-title"' not in html
    data = form_data(response)
    data.pop("is_active")
    assert admin.post(url, {**data, "name": "Andere naam", "sections-0-title": "Ander deel"}).status_code == 302
    template.refresh_from_db()
    section.refresh_from_db()
    assert not template.is_active and template.name == "Eigen instrument" and section.title == "Eerste deel"

    section_url = admin_url("trajectories_assessmentsection", "change", section.pk)
    assert (
        admin.post(section_url, {"template": template.pk, "code": "x", "title": "x", "order": "0"}).status_code == 403
    )
    response = admin.post(
        admin_url("trajectories_assessmentsection", "add"),
        {
            "template": template.pk,
            "code": "extra",
            "title": "Extra",
            "order": "2",
            "items-TOTAL_FORMS": "0",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "Dit instrument is al gebruikt in een inschatting" in response.content.decode()
    assert template.sections.count() == 1


def test_the_administrator_sets_a_prisons_rhythm_but_never_sees_a_detainees(admin, detainee, hasselt):
    CadenceRule.objects.create(detainee=detainee, months=6)
    detainee_rule = CadenceRule.objects.get(detainee=detainee)
    assert (
        admin.post(admin_url("casusoverleg_cadencerule", "add"), {"prison": hasselt.pk, "months": "2"}).status_code
        == 302
    )
    assert CadenceRule.objects.get(prison=hasselt).months == 2
    html = admin.get(admin_url("casusoverleg_cadencerule")).content.decode()
    assert detainee.last_name not in html and "Hasselt" in html
    response = admin.get(admin_url("casusoverleg_cadencerule", "change", detainee_rule.pk))
    assert response.status_code == 302 and response["Location"] == reverse("admin:index")
    response = admin.post(admin_url("casusoverleg_cadencerule", "add"), {"prison": "", "months": "2"})
    assert response.status_code == 200 and CadenceRule.objects.count() == 2


def test_reminder_settings_follow_the_engines_rules(admin, caw):
    url = admin_url("notifications_remindersetting", "add")
    response = admin.post(url, {"organisation": caw.pk, "kind": "session_gap", "offsets": "30,20", "enabled": "on"})
    assert response.status_code == 200
    assert "De termijnen moeten verschillend zijn en oplopen." in response.content.decode()
    response = admin.post(url, {"organisation": caw.pk, "kind": "geen_soort", "offsets": "30", "enabled": "on"})
    assert response.status_code == 200 and not ReminderSetting.objects.exists()
    assert (
        admin.post(
            url, {"organisation": caw.pk, "kind": "session_gap", "offsets": "14,28", "enabled": "on"}
        ).status_code
        == 302
    )
    assert ReminderSetting.objects.get(organisation=caw, kind="session_gap").offsets == [14, 28]


# --- Deleting -------------------------------------------------------------------------------------------------


def test_a_prison_in_use_is_not_deleted_and_no_detainee_is_named(admin, detainee, hasselt):
    PlacementFactory(detainee=detainee, prison=hasselt)
    url = admin_url("casework_prison", "delete", hasselt.pk)
    for response in (admin.get(url), admin.post(url, {"post": "yes"})):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Niet verwijderd: er hangen nog gegevens aan" in html
        assert "Gedetineerden: 1" in html and "Plaatsingen: 1" in html
        assert str(detainee) not in html and detainee.first_name not in html
    assert Prison.objects.filter(pk=hasselt.pk).exists()


def test_an_unused_prison_is_deleted_with_its_rhythm(admin, director):
    prison = Prison.objects.create(code="nieuw", name="Nieuwe gevangenis", city="Nergens", region="flanders")
    prison.directors.add(director)
    CadenceRule.objects.create(prison=prison, months=4)
    url = admin_url("casework_prison", "delete", prison.pk)
    html = admin.get(url).content.decode()
    assert "Nieuwe gevangenis" in html and "Niet verwijderd" not in html
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not Prison.objects.filter(pk=prison.pk).exists() and not CadenceRule.objects.filter(months=4).exists()
    assert User.objects.filter(pk=director.pk).exists()


def test_a_life_domain_tagged_on_a_session_is_not_deleted(admin, detainee, consultant):
    domain = LifeDomain.objects.create(code="eigen", name="Eigen domein", order=50)
    session = SessionFactory(detainee=detainee, author=consultant)
    session.domains.add(domain)
    url = admin_url("casework_lifedomain", "delete", domain.pk)
    response = admin.post(url, {"post": "yes"})
    assert response.status_code == 200 and "Contactmomenten: 1" in response.content.decode()
    assert list(session.domains.all()) == [domain]


def test_the_bulk_delete_of_prisons_in_use_names_no_detainee(admin, detainee, hasselt):
    # A name of its own: a generated one can be the administrator's, which the page greets by first name.
    other = DetaineeFactory(
        organisation=detainee.organisation,
        current_prison=Prison.objects.get(code="gent"),
        first_name="Zinedine",
        last_name="Vanderstraeten",
    )
    response = admin.post(
        admin_url("casework_prison"),
        {"action": "delete_selected", "_selected_action": [hasselt.pk, other.current_prison_id], "post": "yes"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Gedetineerden: 2" in html
    for person in (detainee, other):
        assert str(person) not in html and person.first_name not in html
    assert Prison.objects.filter(code__in=["hasselt", "gent"]).count() == 2


def test_a_row_used_after_the_confirmation_is_not_an_error_page(admin):
    prison = Prison.objects.create(code="nieuw", name="Nieuwe gevangenis", city="Nergens", region="flanders")
    url = admin_url("casework_prison", "delete", prison.pk)
    with mock.patch(
        "django.contrib.admin.options.ModelAdmin.delete_model", side_effect=ProtectedError("in gebruik", set())
    ):
        response = admin.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Niet verwijderd: er hangen nog gegevens aan." in response.content.decode()
    assert Prison.objects.filter(pk=prison.pk).exists()


def test_accounts_organisations_and_used_instruments_are_not_deleted_by_the_administrator(admin, consultant, caw):
    assert admin.get(admin_url("accounts_user", "delete", consultant.pk)).status_code == 403
    assert admin.get(admin_url("accounts_organisation", "delete", caw.pk)).status_code == 403
    template = AssessmentTemplate.objects.first()
    assert admin.get(admin_url("trajectories_assessmenttemplate", "delete", template.pk)).status_code == 403


# --- Change history ------------------------------------------------------------------------------------------


def test_admin_writes_carry_the_user_and_the_reason(admin, admin_user, hasselt):
    import pghistory

    seen = []
    real = pghistory.context

    def recording(**metadata):
        seen.append(metadata)
        return real(**metadata)

    url = admin_url("casework_prison", "change", hasselt.pk)
    data = form_data(admin.get(url))
    with mock.patch("accounts.admin_base.pghistory.context", side_effect=recording):
        assert admin.post(url, {**data, "capacity": "500"}).status_code == 302
        admin.get(url)
    # The middleware's context (user, url) is entered too; the admin adds the reason, on the write only.
    assert [metadata for metadata in seen if "reason" in metadata] == [
        {"user": admin_user.pk, "reason": "admin_change_prison"}
    ]


# --- Query count -----------------------------------------------------------------------------------------------


def test_the_accounts_list_costs_the_same_whatever_the_number_of_accounts(admin, django_assert_num_queries):
    from tests.factories import OrganisationFactory

    for size in (1, 15):
        for _ in range(size):
            UserFactory(organisation=OrganisationFactory())
        # 1 session, 1 user, 2 the user's and his groups' model permissions (the admin's names are model
        # permission names too), 1 organisations for the filter, 2 counts (filtered, total), 1 page of accounts
        with django_assert_num_queries(8):
            assert admin.get(admin_url("accounts_user")).status_code == 200
