"""The session form for a routine log in seconds (docs/adr/0028): the moment as one text field with a
sensible default, domains and modules as one control each with the consultant's most used first."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from casework.forms import SessionForm, rounded_now
from casework.models import InterventionModule, LifeDomain, Session
from tests.factories import SessionFactory

NOW = dt.datetime(2026, 5, 12, 8, 7, 42, tzinfo=dt.UTC)  # 10:07 in Brussels


def _data(**overrides):
    data = {
        "started_at": "12/05/2026 09:30",
        "duration_minutes": "60",
        "modality": "in_person_prison",
        "attendance": "attended",
        "engagement": "",
        "summary": "Kort gesprek.",
        "confidential_notes": "",
    }
    data.update(overrides)
    return data


def _form(data, consultant, detainee):
    return SessionForm(data, detainee=detainee, user=consultant)


@time_machine.travel(NOW, tick=False)
def test_the_default_moment_is_now_rounded_down_to_five_minutes_never_in_the_future():
    assert timezone.localtime(rounded_now()) == dt.datetime(2026, 5, 12, 10, 5, tzinfo=timezone.get_current_timezone())
    assert rounded_now() <= timezone.now()


@time_machine.travel(NOW, tick=False)
def test_the_moment_is_typed_day_first_with_a_colon_or_a_dot_or_as_only_a_time_for_today(consultant, detainee):
    brussels = timezone.get_current_timezone()
    for typed, expected in [
        ("12/05/2026 09:30", dt.datetime(2026, 5, 12, 9, 30)),
        ("12-05-2026 9.30", dt.datetime(2026, 5, 12, 9, 30)),
        ("11/05/26 16:45", dt.datetime(2026, 5, 11, 16, 45)),
        ("2026-05-12T09:30", dt.datetime(2026, 5, 12, 9, 30)),  # the API's and the old field's form
        ("08:15", dt.datetime(2026, 5, 12, 8, 15)),  # only a time: today
        (" 8.15 ", dt.datetime(2026, 5, 12, 8, 15)),
    ]:
        form = _form(_data(started_at=typed), consultant, detainee)
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["started_at"] == expected.replace(tzinfo=brussels), typed


def test_a_moment_that_is_no_date_says_how_to_write_it(consultant, detainee):
    form = _form(_data(started_at="gisteren"), consultant, detainee)
    assert not form.is_valid()
    assert form.errors["started_at"] == ["Schrijf het tijdstip als dd/mm/jjjj uu:mm, bv. 12/05/2026 09:30."]


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_one_text_field_for_the_moment_and_one_select_each_for_domains_and_modules(
    client, consultant, detainee
):
    client.force_login(consultant)
    body = client.get(reverse("casework:session_create", args=[detainee.pk])).content.decode()
    assert 'type="datetime-local"' not in body
    assert 'name="started_at" value="12/05/2026 10:05"' in body
    assert "dd/mm/jjjj uu:mm" in body  # the format hint
    assert 'type="checkbox" name="domains"' not in body and 'type="checkbox" name="modules"' not in body
    assert '<select name="domains"' in body and '<select name="modules"' in body
    assert body.count("data-searchable") == 2 and "tom-select.complete.min.js" in body
    assert "Ctrl</kbd> + <kbd>Enter</kbd>" in body  # the shortcuts, shown in the form


@time_machine.travel(NOW, tick=False)
def test_the_consultants_most_used_domains_and_modules_of_the_last_90_days_come_first(consultant, colleague, detainee):
    housing, finances, leisure = (LifeDomain.objects.get(code=c) for c in ("housing", "finances", "leisure"))
    anger = InterventionModule.objects.get(code="anger")
    for days_ago, domains in [(1, [finances, housing]), (5, [finances]), (30, [housing, finances])]:
        session = SessionFactory(detainee=detainee, author=consultant, started_at=NOW - dt.timedelta(days=days_ago))
        session.domains.set(domains)
        session.modules.set([anger])
    # Older than 90 days, or someone else's: not counted.
    SessionFactory(detainee=detainee, author=consultant, started_at=NOW - dt.timedelta(days=120)).domains.set([leisure])
    SessionFactory(detainee=detainee, author=colleague, started_at=NOW - dt.timedelta(days=2)).domains.set([leisure])

    form = SessionForm(detainee=detainee, user=consultant)
    form.most_used_first()
    (first_label, first), (rest_label, rest) = form.fields["domains"].widget.choices
    assert (str(first_label), str(rest_label)) == ("Jouw meest gebruikte", "Alle andere")
    assert [pk for pk, _label in first] == [finances.pk, housing.pk]  # three times, then twice
    assert leisure.pk in [pk for pk, _label in rest]
    assert len(first) + len(rest) == LifeDomain.objects.count()
    (_label, modules_first), _rest = form.fields["modules"].widget.choices
    assert [pk for pk, _label in modules_first] == [anger.pk]


def test_without_recent_sessions_the_choices_keep_their_reference_order(consultant, detainee):
    form = SessionForm(detainee=detainee, user=consultant)
    form.most_used_first()
    assert [pk for pk, _label in form.fields["domains"].widget.choices] == list(
        LifeDomain.objects.values_list("pk", flat=True)
    )


@time_machine.travel(NOW, tick=False)
def test_without_scripts_the_multiple_selects_post_the_chosen_domains_and_modules(client, consultant, detainee):
    housing, finances = LifeDomain.objects.get(code="housing"), LifeDomain.objects.get(code="finances")
    anger = InterventionModule.objects.get(code="anger")
    client.force_login(consultant)
    response = client.post(
        reverse("casework:session_create", args=[detainee.pk]),
        _data(started_at="09:45", domains=[housing.pk, finances.pk], modules=[anger.pk]),
    )
    assert response.status_code == 302
    session = Session.objects.get(detainee=detainee)
    assert set(session.domains.all()) == {housing, finances} and list(session.modules.all()) == [anger]
    assert timezone.localtime(session.started_at).time() == dt.time(9, 45)


def test_the_file_offers_the_session_form_under_alt_shift_n(client, consultant, detainee):
    client.force_login(consultant)
    body = client.get(reverse("casework:file_sessions", args=[detainee.pk])).content.decode()
    assert 'aria-keyshortcuts="Alt+Shift+N" data-shortcut-new-session' in body


def test_a_correction_shows_the_sessions_own_domains_chosen(client, consultant, detainee):
    session = SessionFactory(detainee=detainee, author=consultant, started_at=timezone.now() - dt.timedelta(hours=2))
    housing = LifeDomain.objects.get(code="housing")
    session.domains.set([housing])
    client.force_login(consultant)
    body = client.get(reverse("casework:session_update", args=[detainee.pk, session.pk])).content.decode()
    assert f'<option value="{housing.pk}" selected>' in body
    assert body.count(" selected>") == 1 + body.count('<option value="in_person_prison" selected>') + body.count(
        '<option value="attended" selected>'
    )
