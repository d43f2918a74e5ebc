"""The access review and the file's history in French and English, as their readers see them: every read and
every change in words, no code (`trajectory_tab`, `access_review`, `in_scope_import`) and no Dutch."""

import pytest

from casework.models import AccessLog
from casework.services import detainee_update
from tests.factories import DetaineeFactory, UserFactory
from tests.i18n.dutch import database_names, dutch_in

from .conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.browser
CODES = ("trajectory_tab", "access_review", "refusal_review", "yearly_report", "in_scope_import", "detainee_update")


@pytest.mark.parametrize("language", ["fr-be", "en"])
def test_the_access_review_and_the_history_read_in_words(browser, base_url, language, caw):
    consultant = UserFactory(
        username=f"h-consultant-{language}",
        consultant=True,
        organisation=caw,
        first_name="Sara",
        last_name="Peeters",
        language=language,
    )
    dpo = UserFactory(
        username=f"h-dpo-{language}",
        dpo=True,
        organisation=caw,
        first_name="Dirk",
        last_name="Peeters",
        language=language,
    )
    detainee = DetaineeFactory(first_name="Ayoub", last_name="Bakkali", organisation=caw, lead_consultant=consultant)
    detainee_update(detainee=detainee, user=consultant, reason="in_scope_import", in_scope=not detainee.in_scope)
    AccessLog.objects.create(
        user=consultant, detainee=detainee, object_kind="trajectory_tab", path="/x", action=AccessLog.Action.VIEW
    )
    AccessLog.objects.create(
        user=consultant, object_kind="yearly_report", object_id="2026.pdf", path="/x", action=AccessLog.Action.EXPORT
    )
    locale = {"fr-be": "fr-BE", "en": "en-GB"}[language]

    for user, path, name in (
        (consultant, f"/gedetineerden/{detainee.pk}/geschiedenis/", "history"),
        (dpo, "/privacy/raadplegingen/", "access-review"),
    ):
        context = browser.new_context(
            locale=locale, timezone_id="Europe/Brussels", viewport={"width": 1366, "height": 900}
        )
        page = context.new_page()
        login(page, user, base_url=base_url)
        page.goto(f"{base_url}{path}")
        page.locator("main").wait_for()
        text = page.locator("main").inner_text()
        for code in CODES:
            assert code not in text, (name, code)
        assert dutch_in(page.content(), language, allowed=database_names()) == [], name
        assert "Ayoub Bakkali" in text or name == "access-review"
        assert "Sara Peeters" in text
        assert axe_violations(page) == []
        screenshot(page, f"{name}-{language}")
        context.close()
