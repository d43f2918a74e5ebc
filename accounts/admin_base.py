"""What every admin page of the reference data and the accounts shares (/beheer/, accounts/permissions.py).

- Writes carry a change-history context: who (the admin site's user) and why (`admin_<verb>_<model>`), so a
  model tracked by django-pghistory that an admin page writes records both, like the services do.
- Deleting is safe to offer. Django's confirmation page lists every row the deletion would remove and every
  row that protects the object, by name: for a prison that is the placements and conferences of named
  detainees. Here the page names only reference data; everything else is counted per kind ("Plaatsingen: 3"),
  and a deletion that would remove anything but reference data (a session's life-domain tag, an
  organisation's aftercare setting) is refused like a protected one, with a message saying the row is still
  in use. A row that becomes used between the confirmation and the deletion gets the same message, not an
  error page.
"""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext

import pghistory
from django.contrib import admin, messages
from django.contrib.admin.utils import NestedObjects
from django.db import router, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .permissions import ADMIN_ROLE_MODELS

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def is_reference_model(model) -> bool:
    """Reference data or accounts (what the functional administrator manages), or the link table of a
    many-to-many field between two of them (a prison's directors)."""
    opts = model._meta
    if opts.auto_created:
        return all(is_reference_model(field.related_model) for field in opts.fields if field.is_relation)
    return opts.model_name in ADMIN_ROLE_MODELS.get(opts.app_label, {})


def kind_name(model) -> str:
    """The plural name of a kind of row; for a many-to-many link, of the model that holds the field
    (a session's life-domain tags count as sessions)."""
    opts = model._meta
    if opts.auto_created:
        opts = opts.auto_created._meta
    return str(capfirst(opts.verbose_name_plural))


class ReferenceDataAdmin(admin.ModelAdmin):
    """Base of every ModelAdmin the functional administrator uses."""

    # Shown when a deletion is refused: what to do instead (e.g. switch the row off).
    in_use_hint = ""

    # --- Change history --------------------------------------------------------------------------

    def history_context(self, request, verb: str):
        if request.method not in WRITE_METHODS:
            return nullcontext()
        return pghistory.context(user=request.user.pk, reason=f"admin_{verb}_{self.opts.model_name}")

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with self.history_context(request, "change" if object_id else "add"):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        # Actions and list_editable write from the list: one transaction, so a refused deletion leaves no
        # log entry behind.
        if request.method not in WRITE_METHODS:
            return super().changelist_view(request, extra_context)
        try:
            with transaction.atomic(using=router.db_for_write(self.model)), self.history_context(request, "list"):
                return super().changelist_view(request, extra_context)
        except (ProtectedError, RestrictedError):
            self.message_user(request, self.in_use_message(), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with self.history_context(request, "delete"):
                return super().delete_view(request, object_id, extra_context)
        except (ProtectedError, RestrictedError):
            # Something started using the row after the confirmation page was shown; the deletion is rolled back.
            self.message_user(request, self.in_use_message(), messages.ERROR)
            return HttpResponseRedirect(
                reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change", args=[object_id])
            )

    # --- Deletion --------------------------------------------------------------------------------

    def in_use_message(self, uses: str = "") -> str:
        if uses:
            text = _("Niet verwijderd: er hangen nog gegevens aan (%(uses)s).") % {"uses": uses}
        else:
            text = _("Niet verwijderd: er hangen nog gegevens aan.")
        return f"{text} {self.in_use_hint}".strip()

    def get_deleted_objects(self, objs, request):
        """Like Django's, but naming only reference data; see the module docstring."""
        objs = list(objs)
        if not objs:
            return [], {}, set(), []
        collector = NestedObjects(using=router.db_for_write(self.model), origin=objs)
        collector.collect(objs)
        perms_needed = set()
        blocking = Counter(kind_name(obj.__class__) for obj in collector.protected)
        for model, rows in collector.model_objs.items():
            if not is_reference_model(model):
                blocking[kind_name(model)] += len(rows)

        def describe(obj) -> str:
            model = obj.__class__
            if self.admin_site.is_registered(model) and not self.admin_site.get_model_admin(
                model
            ).has_delete_permission(request, obj):
                perms_needed.add(str(model._meta.verbose_name))
            return f"{capfirst(model._meta.verbose_name)}: {obj}"

        if blocking:
            protected = [f"{kind}: {count}" for kind, count in sorted(blocking.items())]
            uses = ", ".join(f"{kind.lower()}: {count}" for kind, count in sorted(blocking.items()))
            self.message_user(request, self.in_use_message(uses), messages.ERROR)
            return [], {}, set(), protected
        to_delete = collector.nested(describe)
        model_count = {model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()}
        return to_delete, model_count, perms_needed, []
