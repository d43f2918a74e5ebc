"""Without a mouse: the daily session log from "Mijn dag", the live search, and the minutes editor.

Only `page.keyboard` drives the journeys (Tab, Enter, arrows, typing); reading the DOM to know where the
focus is does not count as an interaction. Logging in beforehand uses the login helper.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from casework.models import Organisation, Prison, Session
from casework.text import fold
from casusoverleg import services as conference_services
from casusoverleg.models import Minutes
from tests.browser.conftest import axe_violations, login, screenshot
from tests.factories import ConsentFactory, DetaineeFactory, SessionFactory

pytestmark = pytest.mark.browser

MAX_TABS = 60  # a page whose target is further away than this is not keyboard-friendly
# Keystroke-level model (Card, Moran & Newell): what the same keystrokes cost a person. The browser
# replays them in well under a second; a consultant types at about 40 words a minute (0.28 s a key)
# and takes a moment (1.35 s) to prepare each interaction.
KLM_KEYSTROKE_S, KLM_MENTAL_S = 0.28, 1.35


def tab_to(page: Page, predicate_js: str) -> int:
    """Press Tab until the focused element satisfies `predicate_js` (a JS function of the element).
    Returns the number of Tab presses."""
    for presses in range(1, MAX_TABS + 1):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({predicate_js})(document.activeElement)"):
            return presses
    raise AssertionError(f"not reached with {MAX_TABS} Tab presses: {predicate_js}")


def type_date(page: Page, selector: str, value: dt.date) -> None:
    """Type a date into the focused date field, part by part in the order the field shows them.

    Chromium lays a date field out in the order of its own locale, whatever the page's language; the
    accessibility tree names the parts in that order (Month, Day, Year), so ask it rather than guess."""
    cdp = page.context.new_cdp_session(page)
    try:
        root = cdp.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        parts = cdp.send("Accessibility.queryAXTree", {"nodeId": node, "role": "spinbutton"})["nodes"]
    finally:
        cdp.detach()
    formats = {"day": "%d", "month": "%m", "year": "%Y"}
    order = [part["name"]["value"].split()[0].lower() for part in parts]
    assert sorted(order) == ["day", "month", "year"], order
    for part in order:
        page.keyboard.type(value.strftime(formats[part]))


def assert_focus_visible(page: Page) -> None:
    """The focused element shows a focus ring (app.css: a 3 px amber outline on :focus-visible)."""
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert style[0] != "none" and style[1] >= 2, style


def focused_is(page: Page, selector: str) -> bool:
    return page.evaluate("(selector) => document.activeElement && document.activeElement.matches(selector)", selector)


# --- The daily session log ------------------------------------------------------------------------------------


@pytest.fixture
def caseload(consultant, colleague, caw, hasselt):
    """Youssef was last seen by video (by a colleague); the consultant's own last session was by phone."""
    youssef = DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrani",
        search_name="youssef el amrani",
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
    )
    youssef.co_consultants.add(colleague)
    SessionFactory(
        detainee=youssef, author=colleague, modality="video", started_at=timezone.now() - dt.timedelta(days=6)
    )
    other = DetaineeFactory(
        first_name="Jonas",
        last_name="Peeters",
        search_name="jonas peeters",
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
    )
    SessionFactory(
        detainee=other, author=consultant, modality="phone", started_at=timezone.now() - dt.timedelta(days=2)
    )
    return youssef


def test_a_routine_session_from_my_day_takes_three_keyboard_interactions(page, live_server, consultant, caseload):
    base = live_server.url
    login(page, consultant, base_url=base)
    expect(page.get_by_role("heading", name="Mijn dag")).to_be_visible()
    quick_log = f"/gedetineerden/{caseload.pk}/contactmoment/?vanuit=mijn-dag"
    summary = "Routinegesprek: werk in de keuken loopt goed."

    started = time.monotonic()
    interactions = 0
    # 1. Open the quick log for Youssef: Tab to his row's action, Enter.
    tabs = tab_to(page, f"el => el.getAttribute('href') === '{quick_log}'")
    expect(page.locator(":focus")).to_have_accessible_name("Contactmoment registreren — Youssef El Amrani")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    interactions += 1
    page.wait_for_url(base + quick_log)
    summary_field = page.get_by_label("Samenvatting")
    expect(summary_field).to_be_focused()  # the defaults stand; the cursor starts where the typing is
    expect(page.get_by_label("Duur (minuten)")).to_have_value("60")
    expect(page.get_by_label("Vorm")).to_have_value("video")  # Youssef's last modality, not the user's
    # 2. Type the summary.
    page.keyboard.type(summary)
    interactions += 1
    # 3. Save with Ctrl+Enter: back on "Mijn dag", ready for the next one.
    page.keyboard.press("Control+Enter")
    interactions += 1
    page.wait_for_url(base + "/")
    expect(page.get_by_text("Het contactmoment is opgeslagen.")).to_be_visible()
    expect(page.locator(".my-day-panel-today_sessions")).to_contain_text("Youssef")
    elapsed = time.monotonic() - started
    keystrokes = tabs + 1 + len(summary) + 1
    for_a_person = elapsed + keystrokes * KLM_KEYSTROKE_S + interactions * KLM_MENTAL_S

    print(
        f"\nkeyboard-only session log from Mijn dag: {interactions} interactions, {keystrokes} keystrokes "
        f"({tabs} Tab presses to reach the row), {elapsed:.2f} s in the browser, "
        f"about {for_a_person:.1f} s for a person at 40 words a minute"
    )
    screenshot(page, "my_day_after_quick_log")
    assert interactions <= 3
    assert elapsed < 30
    assert for_a_person < 30
    session = Session.objects.get(detainee=caseload, author=consultant)
    assert session.summary == summary
    assert (session.modality, session.duration_minutes, session.attendance) == ("video", 60, "attended")
    assert abs(timezone.now() - session.started_at) < dt.timedelta(minutes=5)


# --- The live search ----------------------------------------------------------------------------------------


def type_search(page: Page, text: str) -> None:
    """Select what is in the search box and type over it; wait for the htmx answer (debounced 300 ms)."""
    with page.expect_response(lambda response: "/gedetineerden/?q=" in response.url):
        page.keyboard.press("Control+A")
        page.keyboard.type(text)


SEARCHES = [
    ("Elif Sahin", "Şahin"),  # without the cedilla
    ("elif şahin", "Şahin"),  # with it, in lower case
    ("Youssef", "Yoûssef"),  # without the circumflex
    ("yildiz", "Yıldız"),  # the Turkish dotless i
    ("oztürk", "Öztürk"),  # an accent typed on one letter only
]


def test_the_live_search_answers_as_you_type_with_or_without_accents(page, live_server, consultant, caw, hasselt):
    for first, last in [
        ("Elif", "Şahin"),
        ("Yoûssef", "Benali"),
        ("Mehmet", "Yıldız"),
        ("Ayşe", "Öztürk"),
        ("Jonas", "Peeters"),
    ]:
        DetaineeFactory(
            first_name=first,
            last_name=last,
            search_name=fold(f"{first} {last}"),
            organisation=caw,
            current_prison=hasselt,
            lead_consultant=consultant,
        )
    login(page, consultant, base_url=live_server.url)
    page.goto(f"{live_server.url}/gedetineerden/")
    search_box = page.get_by_label("Zoek op naam")
    expect(search_box).to_be_focused()  # the search box takes the keyboard at once
    rows = page.locator("#caseload-results tbody tr")
    expect(rows).to_have_count(5)
    for typed, found in SEARCHES:
        type_search(page, typed)
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(found)
        # Screen readers hear the count, once, from a live region that stays on the page.
        expect(page.get_by_role("status")).to_have_text("1 gedetineerde")
        expect(search_box).to_be_focused()  # typing goes on in the box
    type_search(page, "niemand-zo")
    expect(page.get_by_role("status")).to_have_text("Niemand gevonden")
    # The page did not reload: the answer came in place, and the URL can be shared.
    assert page.url == f"{live_server.url}/gedetineerden/?q=niemand-zo&prison=&scope=&legal_status="


# --- The minutes editor -------------------------------------------------------------------------------------


@pytest.fixture
def held_conference(director, consultant, detainee, hasselt):
    """Yesterday's conference in the director's prison, its minutes still a draft with one agenda item."""
    ConsentFactory(
        detainee=detainee,
        organisation=Organisation.objects.get(name="CGG"),
        explained_by=consultant,
        scopes=["identity", "minutes"],
    )
    start = timezone.make_aware(dt.datetime.combine(timezone.localdate() - dt.timedelta(days=1), dt.time(10, 0)))
    conference = conference_services.conference_schedule(
        user=director,
        detainee=detainee,
        prison=Prison.objects.get(code="hasselt"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        location="Vergaderzaal directie",
    )
    conference_services.agenda_item_add(conference=conference, user=director, title="Opleiding en werk")
    return conference


def test_the_minutes_editor_works_without_a_mouse(page, live_server, director, held_conference):
    base = live_server.url
    login(page, director, base_url=base)
    page.goto(f"{base}/casusoverleg/{held_conference.pk}/verslag/")
    expect(page.get_by_role("heading", name="Verslag bewerken")).to_be_visible()
    due = timezone.localdate() + dt.timedelta(days=30)

    # A note on the agenda item.
    tabs = tab_to(page, "el => el.name && el.name.startsWith('note-')")
    page.keyboard.type("Opleiding lassen loopt; de detentieconsulent bevestigt de aanwezigheid.")
    # The decision: its text, then "no consensus" with the arrow keys, then who and why (shown only then).
    tab_to(page, "el => el.name === 'decision-0-text'")
    page.keyboard.type("Voorbereiding van een eerste penitentiair verlof starten.")
    page.keyboard.press("Tab")
    assert focused_is(page, "select[name='decision-0-consensus']")
    page.keyboard.press("ArrowDown")
    expect(page.locator("select[name='decision-0-consensus']")).to_have_value("no")
    page.keyboard.press("Tab")
    assert focused_is(page, "input[name='decision-0-dissent_who']")
    page.keyboard.type("PSD")
    page.keyboard.press("Tab")
    page.keyboard.type("Eerst een nieuwe risico-inschatting.")
    # The action: what, who (arrow keys in the owner list), by when (typed into the date field).
    tab_to(page, "el => el.name === 'action-0-description'")
    page.keyboard.type("Nieuwe risico-inschatting plannen")
    page.keyboard.press("Tab")
    assert focused_is(page, "select[name='action-0-owner']")
    page.keyboard.press("ArrowDown")
    expect(page.locator("select[name='action-0-owner']")).not_to_have_value("")
    tab_to(page, "el => el.name === 'action-0-due_on'")
    type_date(page, "input[name='action-0-due_on']", due)
    expect(page.locator("input[name='action-0-due_on']")).to_have_value(due.isoformat())
    # Save from the keyboard: Tab to the button and Enter; the focus lands on the confirmation.
    tab_to(page, "el => el.type === 'submit' && el.closest('#minutes-editor')")
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    saved = page.get_by_text("Bewaard (revisie 1)")
    expect(saved).to_be_visible()
    expect(page.locator("#minutes-editor [data-focus-after-swap]")).to_be_focused()
    print(f"\nminutes editor: first note reached with {tabs} Tab presses")
    screenshot(page, "minutes_editor_keyboard")

    minutes = Minutes.objects.get(conference=held_conference)
    assert minutes.revision == 1
    assert [note.text for note in minutes.item_notes.all() if note.text] == [
        "Opleiding lassen loopt; de detentieconsulent bevestigt de aanwezigheid."
    ]
    decision = minutes.decisions.get()
    assert (decision.consensus, decision.dissent_who) == (False, "PSD")
    action = minutes.actions.get()
    assert action.description == "Nieuwe risico-inschatting plannen" and action.due_on == due

    # From the confirmation, Tab goes on into the first note; a second save with Ctrl+Enter from inside
    # the field keeps the keyboard there.
    page.keyboard.press("Tab")
    expect(page.locator("textarea[name^='note-']").first).to_be_focused()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Volgende stap: verlofaanvraag.")
    page.keyboard.press("Control+Enter")
    expect(page.get_by_text("Bewaard (revisie 2)")).to_be_visible()
    expect(page.locator("textarea[name^='note-']").first).to_be_focused()


# --- The file's tabs ----------------------------------------------------------------------------------------


def test_the_files_tabs_work_with_the_arrow_keys(page, live_server, consultant, detainee):
    SessionFactory(detainee=detainee, author=consultant, summary="Gesprek over werk in de keuken.")
    base = live_server.url
    login(page, consultant, base_url=base)
    page.goto(f"{base}/gedetineerden/{detainee.pk}/contactmomenten/")
    tabs = page.get_by_role("tab")
    # One Tab stop for the whole tab list: the open tab.
    assert page.eval_on_selector_all(".file-tabs [role=tab]", "els => els.filter(el => el.tabIndex === 0).length") == 1
    tab_to(page, "el => el.getAttribute('role') === 'tab'")
    expect(page.get_by_role("tab", name="Contactmomenten")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="Netwerk")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base}/gedetineerden/{detainee.pk}/netwerk/")
    expect(page.get_by_role("heading", name="Netwerk")).to_be_visible()
    expect(page.get_by_role("tab", name="Netwerk")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("End")
    last = tabs.last
    expect(last).to_be_focused()
    page.keyboard.press(" ")
    expect(last).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Home")
    expect(tabs.first).to_be_focused()
    page.keyboard.press("ArrowLeft")  # wraps around
    expect(last).to_be_focused()
    assert page.eval_on_selector_all(".file-tabs [role=tab]", "els => els.filter(el => el.tabIndex === 0).length") == 1


# --- A routine session from the file page, in seconds (docs/adr/0028) -----------------------------------------

KEY_DELAY_MS = 150  # what a consultant types at: no thinking time, a key every 150 ms
SESSION_BUDGET_S = 15


class Keys:
    """The keyboard at a person's pace: every press and every typed character counts and takes 150 ms."""

    def __init__(self, page: Page):
        self.page, self.presses, self.typed = page, 0, 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.page.wait_for_timeout(KEY_DELAY_MS)
        self.presses += 1

    def type(self, text: str) -> None:
        self.page.keyboard.type(text, delay=KEY_DELAY_MS)
        self.typed += len(text)

    @property
    def total(self) -> int:
        return self.presses + self.typed


@pytest.fixture
def routine_file(consultant, caw, hasselt):
    """A file the consultant saw by phone last week, about housing and finances (his most used domains)."""
    from casework.models import InterventionModule, LifeDomain

    youssef = DetaineeFactory(
        first_name="Youssef",
        last_name="El Amrani",
        search_name="youssef el amrani",
        organisation=caw,
        current_prison=hasselt,
        lead_consultant=consultant,
    )
    for days_ago in (3, 10):
        session = SessionFactory(
            detainee=youssef,
            author=consultant,
            modality="phone",
            started_at=timezone.now() - dt.timedelta(days=days_ago),
        )
        session.domains.set(LifeDomain.objects.filter(code__in=["housing", "finances"]))
        session.modules.set(InterventionModule.objects.filter(code="practical_help"))
    return youssef


def test_a_routine_session_from_the_file_page_takes_fifteen_seconds_at_most(
    page, live_server, consultant, routine_file
):
    from casework.models import InterventionModule, LifeDomain

    base = live_server.url
    login(page, consultant, base_url=base)
    page.goto(f"{base}/gedetineerden/{routine_file.pk}/")
    expect(page.get_by_role("heading", name="Youssef El Amrani")).to_be_visible()
    note = "Gesprek over woning en werk."
    keys = Keys(page)

    started = time.monotonic()
    # Open the form from the file: Alt+Shift+N (the link shows it and carries aria-keyshortcuts).
    keys.press("Alt+Shift+N")
    page.wait_for_url(f"{base}/gedetineerden/{routine_file.pk}/contactmoment/")
    moment = page.get_by_label("Tijdstip")
    expect(moment).to_be_focused()  # now, rounded down: it stands
    # The kind: Tab past the duration to the form, one arrow down from the last one used (phone → video).
    keys.press("Tab")
    keys.press("Tab")
    expect(page.get_by_label("Vorm")).to_be_focused()
    expect(page.get_by_label("Vorm")).to_have_value("phone")
    keys.press("ArrowDown")
    expect(page.get_by_label("Vorm")).to_have_value("video")
    # Attendance and engagement stand: three Tabs to the domains, one Tab stop for all of them.
    keys.press("Tab")
    keys.press("Tab")
    keys.press("Tab")
    domains = page.get_by_role("combobox", name="Levensdomeinen")
    expect(domains).to_be_focused()
    keys.type("opl")  # searched: Opleiding en tewerkstelling
    keys.press("Enter")
    keys.press("Enter")  # the most used first: Huisvesting is now on top
    keys.press("Tab")
    expect(page.get_by_role("combobox", name="Modules")).to_be_focused()
    keys.type("netw")
    keys.press("Enter")
    keys.press("Tab")
    expect(page.get_by_label("Samenvatting")).to_be_focused()
    keys.type(note)
    keys.press("Control+Enter")
    page.wait_for_url(f"{base}/gedetineerden/{routine_file.pk}/contactmomenten/")
    expect(page.get_by_text("Het contactmoment is opgeslagen.")).to_be_visible()
    elapsed = time.monotonic() - started

    print(
        f"\nroutine session from the file page, keyboard only at {KEY_DELAY_MS} ms a key: {keys.total} keys "
        f"({keys.presses} presses, {keys.typed} typed characters), {elapsed:.1f} s"
    )
    screenshot(page, "file_after_routine_session")
    assert keys.presses <= 14  # was 38-40 navigation keys with seven date-time parts and twenty checkboxes
    assert keys.total <= 50
    assert elapsed <= SESSION_BUDGET_S
    session = Session.objects.get(detainee=routine_file, summary=note)
    assert session.modality == "video" and session.author == consultant
    assert set(session.domains.values_list("code", flat=True)) == {"education_employment", "housing"}
    assert list(session.modules.values_list("code", flat=True)) == ["network_approach"]
    assert abs(timezone.now() - session.started_at) < dt.timedelta(minutes=6)
    assert LifeDomain.objects.count() + InterventionModule.objects.filter(is_active=True).count() == 20


def test_the_searchable_selects_are_labelled_comboboxes_and_removable_from_the_keyboard(
    page, live_server, consultant, routine_file
):
    login(page, consultant, base_url=live_server.url)
    page.goto(f"{live_server.url}/gedetineerden/{routine_file.pk}/contactmoment/")
    domains = page.get_by_role("combobox", name="Levensdomeinen")
    domains.focus()
    expect(domains).to_have_attribute("aria-describedby", "id_domains_helptext")
    # The focus ring (app.css) is drawn around the whole control.
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement.closest('.ts-control'));"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert ring[0] != "none" and ring[1] >= 2, ring
    page.keyboard.type("fin")
    page.keyboard.press("Enter")
    chosen = page.locator("#id_domains option:checked")
    expect(chosen).to_have_count(1)
    expect(chosen).to_have_text("Financiën")
    page.keyboard.press("Backspace")  # the last choice goes again
    expect(chosen).to_have_count(0)
    page.keyboard.press("Escape")
    assert axe_violations(page) == []
