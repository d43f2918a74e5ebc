from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings

from casework.crypto import decrypt_text, encrypt_text


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by the functional administrator; nobody signs up."""

    def is_open_for_signup(self, request):
        return False


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
