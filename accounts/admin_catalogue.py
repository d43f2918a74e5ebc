"""Texts of Django's own admin site that Django's Dutch catalogue does not (yet) translate.

The admin speaks the user's language through Django's catalogues, which are complete for French and
English. The Dutch ones lag a few releases behind the admin's templates: the hidden captions of the
model table on every admin page, the hint on the add-user form, the "forgotten credentials" line, an
error label, and two validation messages. They are listed here so that `make messages` puts them in
our catalogues, where nl_BE gives them their Dutch (fr_BE and en repeat Django's own wording).
Nothing imports this module: it exists for the extraction. tests/accounts/test_admin_language.py
fails when a Django upgrade adds an admin text that neither Django's Dutch nor ours translates.

The admin's JavaScript (the two-box selector of a prison's directors) has the same gap; its words are in
locale/nl_BE/LC_MESSAGES/djangojs.po, written by hand (our own scripts have no catalogue, ADR 0010)."""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_ADMIN_TEXTS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice."),
)
DJANGO_PLURAL_TEXTS = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
)
