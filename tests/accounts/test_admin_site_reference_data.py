"""The reference data in the admin site (/beheer/): prisons, organisations, life domains, modules, instruments,
conference rhythms and reminder settings are added and changed by the administrator; deleting names no case
content and never ends in an error page; admin writes carry the user and the reason into the history.
"""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from accounts.models import Organisation, User
from casework.models import InterventionModule, LifeDomain, Prison
from casusoverleg.models import CadenceRule
from notifications.models import ReminderSetting
from tests.accounts.admin_site_helpers import (
    admin,  # noqa: F401
    admin_url,
    form_data,
    superuser,  # noqa: F401
)
from tests.factories import DetaineeFactory, PlacementFactory, SessionFactory
from tests.trajectories.factories import TrajectoryFactory
from trajectories.models import Assessment, AssessmentItem, AssessmentSection, AssessmentTemplate

pytestmark = pytest.mark.django_db


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


# --- Reference data ----------------------------------------------------------------------------------------


def test_the_administrator_adds_and_changes_a_prison_with_its_directors(admin, director):  # noqa: F811
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


def test_the_administrator_adds_and_changes_an_organisation(admin):  # noqa: F811
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


def test_the_administrator_adds_and_changes_life_domains_and_modules(admin):  # noqa: F811
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


def test_the_administrator_builds_an_instrument_with_sections_and_items(admin):  # noqa: F811
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


def test_an_instrument_in_use_is_read_only_except_switching_it_off(admin, detainee, consultant):  # noqa: F811
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


def test_the_administrator_sets_a_prisons_rhythm_but_never_sees_a_detainees(admin, detainee, hasselt):  # noqa: F811
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


def test_reminder_settings_follow_the_engines_rules(admin, caw):  # noqa: F811
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


def test_a_prison_in_use_is_not_deleted_and_no_detainee_is_named(admin, detainee, hasselt):  # noqa: F811
    PlacementFactory(detainee=detainee, prison=hasselt)
    url = admin_url("casework_prison", "delete", hasselt.pk)
    for response in (admin.get(url), admin.post(url, {"post": "yes"})):
        assert response.status_code == 200
        html = response.content.decode()
        assert "Niet verwijderd: er hangen nog gegevens aan" in html
        assert "Gedetineerden: 1" in html and "Plaatsingen: 1" in html
        assert str(detainee) not in html and detainee.first_name not in html
    assert Prison.objects.filter(pk=hasselt.pk).exists()


def test_an_unused_prison_is_deleted_with_its_rhythm(admin, director):  # noqa: F811
    prison = Prison.objects.create(code="nieuw", name="Nieuwe gevangenis", city="Nergens", region="flanders")
    prison.directors.add(director)
    CadenceRule.objects.create(prison=prison, months=4)
    url = admin_url("casework_prison", "delete", prison.pk)
    html = admin.get(url).content.decode()
    assert "Nieuwe gevangenis" in html and "Niet verwijderd" not in html
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not Prison.objects.filter(pk=prison.pk).exists() and not CadenceRule.objects.filter(months=4).exists()
    assert User.objects.filter(pk=director.pk).exists()


def test_a_life_domain_tagged_on_a_session_is_not_deleted(admin, detainee, consultant):  # noqa: F811
    domain = LifeDomain.objects.create(code="eigen", name="Eigen domein", order=50)
    session = SessionFactory(detainee=detainee, author=consultant)
    session.domains.add(domain)
    url = admin_url("casework_lifedomain", "delete", domain.pk)
    response = admin.post(url, {"post": "yes"})
    assert response.status_code == 200 and "Contactmomenten: 1" in response.content.decode()
    assert list(session.domains.all()) == [domain]


def test_the_bulk_delete_of_prisons_in_use_names_no_detainee(admin, detainee, hasselt):  # noqa: F811
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


def test_a_row_used_after_the_confirmation_is_not_an_error_page(admin):  # noqa: F811
    prison = Prison.objects.create(code="nieuw", name="Nieuwe gevangenis", city="Nergens", region="flanders")
    url = admin_url("casework_prison", "delete", prison.pk)
    with mock.patch(
        "django.contrib.admin.options.ModelAdmin.delete_model", side_effect=ProtectedError("in gebruik", set())
    ):
        response = admin.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Niet verwijderd: er hangen nog gegevens aan." in response.content.decode()
    assert Prison.objects.filter(pk=prison.pk).exists()


def test_accounts_organisations_and_used_instruments_are_not_deleted_by_the_administrator(admin, consultant, caw):  # noqa: F811
    assert admin.get(admin_url("accounts_user", "delete", consultant.pk)).status_code == 403
    assert admin.get(admin_url("accounts_organisation", "delete", caw.pk)).status_code == 403
    template = AssessmentTemplate.objects.first()
    assert admin.get(admin_url("trajectories_assessmenttemplate", "delete", template.pk)).status_code == 403


# --- Change history ------------------------------------------------------------------------------------------


def test_admin_writes_carry_the_user_and_the_reason(admin, admin_user, hasselt):  # noqa: F811
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
