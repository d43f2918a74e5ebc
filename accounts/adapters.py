from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.urls import reverse

from config.crypto import decrypt_text, encrypt_text
from config.public_url import absolute_url


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the functional administrator; nobody signs up."""

    def is_open_for_signup(self, request):
        return False

    # Links in allauth's mails start with the configured public address, never with the request's Host
    # header (a forged Host would send the reset link elsewhere) nor with the Site row (example.com).
    def get_reset_password_from_key_url(self, key: str) -> str:
        from urllib.parse import quote

        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return absolute_url(path.replace("UID-KEY", quote(key)))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return absolute_url(reverse("account_confirm_email", args=[emailconfirmation.key]))


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets and recovery-code seeds are encrypted with the field-encryption keys.

    A stolen database dump must not let anyone generate valid codes. `rotate_field_keys`
    re-encrypts them with the other encrypted fields.
    """

    def encrypt(self, text: str) -> str:
        return encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_text(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # While MFA is mandatory, the TOTP authenticator can be replaced but not simply removed.
        if settings.DISENGAGE_MFA_REQUIRED and authenticator.type == Authenticator.Type.TOTP:
            return False
        return super().can_delete_authenticator(authenticator)
