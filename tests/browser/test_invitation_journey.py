"""The functional administrator creates an account without a password; the new colleague opens the invitation
from the mail, chooses a password and lands on the two-step verification set-up, which he completes
(docs/adr/0025)."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Invitation, User
from tests.browser.conftest import axe_violations, login, screenshot
from tests.security.conftest import totp_code

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Mijn-eigen-wachtwoord-2026"


def test_the_administrator_invites_and_the_new_user_reaches_two_step_set_up(
    page, browser, live_server, admin_user, caw, settings
):
    base = live_server.url
    # The mail's link starts with the public address: here, the live server.
    settings.PUBLIC_BASE_URL = base
    mail.outbox.clear()
    login(page, admin_user, base_url=base)

    page.goto(f"{base}/beheer/accounts/user/add/")
    # No password on the form: the user chooses his own.
    expect(page.locator("input[type=password]")).to_have_count(0)
    page.locator("#id_username").fill("lena.maes")
    page.locator("#id_first_name").fill("Lena")
    page.locator("#id_last_name").fill("Maes")
    page.locator("#id_email").fill("lena.maes@example.org")
    page.locator("#id_role").select_option("consultant")
    page.locator("#id_organisation").select_option(str(caw.pk))
    page.locator("#id_language").select_option("nl-be")
    page.locator("input[name=_save]").click()
    expect(page.get_by_text("Uitnodiging verstuurd naar lena.maes@example.org")).to_be_visible()
    screenshot(page, "invitation_admin_sent")

    user = User.objects.get(username="lena.maes")
    assert not user.has_usable_password()
    assert Invitation.objects.open().filter(user=user).count() == 1
    assert [message.to for message in mail.outbox] == [["lena.maes@example.org"]]
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert link.startswith(f"{base}/accounts/uitnodiging/")

    # The new colleague, in a browser of his own.
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
    newcomer = context.new_page()
    try:
        newcomer.goto(link)
        expect(newcomer.get_by_role("heading", name="Kies je wachtwoord")).to_be_visible()
        assert axe_violations(newcomer) == []
        screenshot(newcomer, "invitation_password")
        newcomer.get_by_label("Kies een wachtwoord").fill(NEW_PASSWORD)
        newcomer.get_by_label("Herhaal het wachtwoord").fill(NEW_PASSWORD)
        newcomer.get_by_role("button", name="Wachtwoord opslaan en verdergaan").click()

        # Straight on to two-step verification, without typing the password again.
        newcomer.wait_for_url(re.compile(r"/accounts/2fa/totp/activate/"))
        expect(newcomer.get_by_role("heading", name="Tweestapsverificatie instellen")).to_be_visible()
        assert axe_violations(newcomer) == []
        screenshot(newcomer, "invitation_two_step_set_up")
        secret = newcomer.locator("#authenticator_secret").input_value()
        newcomer.locator("input[name=code]").fill(totp_code(secret))
        newcomer.get_by_role("button", name="Activeren").click()
        newcomer.wait_for_url(re.compile(r"/accounts/2fa/"))
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert user.authenticator_set.filter(type="totp").exists()

        # The link has done its work: opened again, it says so.
        newcomer.goto(link)
        expect(newcomer.get_by_role("heading", name="Deze uitnodiging is al gebruikt")).to_be_visible()
    finally:
        context.close()

    # The administrator sees that the invitation was used.
    page.goto(f"{base}/beheer/accounts/user/{user.pk}/change/")
    expect(page.get_by_text(re.compile(r"Gebruikt op"))).to_be_visible()
