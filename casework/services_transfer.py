"""The one write of a transfer: a detainee placed in another prison takes his prison-bound work along (ADR 0040).

Every path comes here: the transfer form on the file, `POST /api/v1/detainees/{id}/transfers/`, a placement
recorded in another prison (`services.placement_record`), a change of the current prison on the file's form
(`services.detainee_update`) and the in-scope list import (which records a placement). One transaction, one
history context (reason `detainee_transfer`, or the caller's, e.g. `in_scope_import`): the open placement is
closed on the transfer date, the new one opens, the file's current prison changes and every registered part
(casework/transfers.py) follows: casusoverleg flags the conferences planned at the old prison to both directors,
lets the cadence follow the new prison's rule and tells the directors and the case team.

Director access follows the current placement (docs/design.md §4): the new prison's directors see the file
from the transfer, the old prison's keep the conferences held in their prison and nothing more.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.dates import range_error
from accounts.display import local_date
from accounts.models import User
from config.history import recorded

from .models import Detainee, Placement, Prison
from .transfers import transfer_parts

HISTORY_REASON = "detainee_transfer"


def _transfer_errors(
    detainee: Detainee,
    prison: Prison | None,
    transferred_on: dt.date | None,
    regime: str,
    open_placement: Placement | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if prison is None:
        errors["prison"] = _("Kies de gevangenis waar de gedetineerde nu verblijft.")
    elif detainee.current_prison_id is None:
        errors["prison"] = _("Dit dossier heeft nog geen gevangenis: registreer eerst een plaatsing.")
    elif prison.pk == detainee.current_prison_id:
        errors["prison"] = _("De gedetineerde verblijft al in %(prison)s.") % {"prison": prison.name}
    if regime not in Placement.Regime.values:
        errors["regime"] = _("Onbekend regime.")
    if transferred_on is None:
        errors["transferred_on"] = _("Vul de datum van de overplaatsing in.")
        return errors
    problem = range_error(transferred_on)
    if problem:
        errors["transferred_on"] = problem
    elif transferred_on > timezone.localdate():
        errors["transferred_on"] = _(
            "Een overplaatsing wordt geregistreerd wanneer ze gebeurd is: de datum ligt in de toekomst."
        )
    elif detainee.released_on is not None and transferred_on >= detainee.released_on:
        errors["transferred_on"] = _("De gedetineerde is op %(date)s vrijgelaten.") % {
            "date": local_date(detainee.released_on)
        }
    elif detainee.incarcerated_on is not None and transferred_on < detainee.incarcerated_on:
        errors["transferred_on"] = _("De overplaatsing kan niet vóór de opsluiting (%(date)s) liggen.") % {
            "date": local_date(detainee.incarcerated_on)
        }
    elif open_placement is not None and transferred_on < open_placement.from_date:
        errors["transferred_on"] = _(
            "De huidige plaatsing begon op %(date)s; de overplaatsing kan niet eerder liggen."
        ) % {"date": local_date(open_placement.from_date)}
    return errors


def detainee_transfer(
    *,
    detainee: Detainee,
    user: User,
    prison: Prison | None,
    transferred_on: dt.date | None,
    regime: str = Placement.Regime.REGULAR,
    reason: str = "",
) -> Placement:
    """Record that `detainee` now lives in `prison` since `transferred_on` (today or earlier). Returns the new
    placement. Consultant, case team and trajectory stay; the prison-bound work follows (module docstring)."""
    with recorded(user, reason or HISTORY_REASON):
        # Locked: two transfers of one file at the same moment would otherwise both close the same placement.
        caller, detainee = (
            detainee,
            Detainee.objects.select_for_update(of=("self",)).select_related("current_prison").get(pk=detainee.pk),
        )
        open_placement = (
            detainee.placements.select_for_update().filter(to_date__isnull=True).order_by("-from_date", "-pk").first()
        )
        errors = _transfer_errors(detainee, prison, transferred_on, regime, open_placement)
        if errors:
            raise ValidationError(errors)
        assert transferred_on is not None  # else `errors` said so
        left = detainee.current_prison
        for placement in detainee.placements.select_for_update().filter(to_date__isnull=True):
            placement.to_date = transferred_on
            placement.save(update_fields=["to_date", "updated_at"])
        placement = Placement(
            detainee=detainee, prison=prison, regime=regime, from_date=transferred_on, transferred_from=left
        )
        placement.full_clean()
        placement.save()
        detainee.current_prison = prison
        detainee.save(update_fields=["current_prison", "updated_at"])
        caller.current_prison, caller.updated_at = prison, detainee.updated_at
        for part in transfer_parts():
            part.apply(placement=placement, user=user)
    return placement


def is_transfer(detainee: Detainee, prison: Prison | None, to_date: dt.date | None) -> bool:
    """A placement in another prison, left open, while the file already has a prison: a transfer."""
    return (
        to_date is None
        and prison is not None
        and detainee.current_prison_id is not None
        and prison.pk != detainee.current_prison_id
    )
