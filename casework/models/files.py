"""Files that were merged, and how an organisation's in-scope list names its columns (casework models, re-exported by `casework.models`)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import BaseModel, Organisation

from . import (  # noqa: I001 - names of the package defined before this module is imported
    Detainee,
)

# --- Merged files ------------------------------------------------------------------------------------------


class DetaineeMerge(BaseModel):
    """Two files were one person: `merged_id` (the file that no longer exists) was merged into `survivor`.

    Written once by `casework.services_merge.detainee_merge`, in the merge's transaction; it is what makes the
    merged-away id answer with a pointer to the survivor for those who may see it (ADR 0032). Holds no
    personal data: the ids, who merged and what moved (counts per part). Append-only.
    """

    merged_id = models.PositiveBigIntegerField(_("samengevoegd dossier"), unique=True)
    survivor = models.ForeignKey(
        Detainee, verbose_name=_("behouden dossier"), on_delete=models.PROTECT, related_name="merged_files"
    )
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(_("samengevoegd op"), default=timezone.now)
    moved = models.JSONField(_("verplaatst per onderdeel"), default=dict, blank=True)

    class Meta:
        ordering = ["-merged_at"]
        verbose_name = _("samenvoeging van dossiers")
        verbose_name_plural = _("samenvoegingen van dossiers")
        constraints = [
            models.CheckConstraint(condition=~Q(merged_id=models.F("survivor")), name="detainee_merge_not_into_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.merged_id} → {self.survivor_id}"


# --- Import of the in-scope list ---------------------------------------------------------------------------


class ImportColumnMapping(BaseModel):
    """How an organisation's in-scope list names its columns, as its managers last confirmed it.

    `columns` maps a header key (`import_vocabulary.key`: lower case, no accents or spaces) to a field
    code of the import, or "" for a column to ignore. Read before the aliases on the next upload.
    """

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="import_column_mapping",
        verbose_name=_("organisatie"),
    )
    columns = models.JSONField(_("kolommen"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kolomindeling van de import")
        verbose_name_plural = _("kolomindelingen van de import")

    def __str__(self) -> str:
        return str(self.organisation)
