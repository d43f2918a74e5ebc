"""Helpers for case-conference tests; they go through the services like real use does."""

import datetime as dt

from casework.models import Basis
from casusoverleg import services
from casusoverleg.models import Conference


def schedule(director, detainee, *, starts_at: dt.datetime, minutes: int = 90, **extra) -> Conference:
    return services.conference_schedule(
        user=director,
        detainee=detainee,
        prison=detainee.current_prison,
        starts_at=starts_at,
        ends_at=starts_at + dt.timedelta(minutes=minutes),
        kind=extra.pop("kind", Conference.Kind.PERIODIC),
        basis=extra.pop("basis", Basis.CONSENT),
        location=extra.pop("location", "Vergaderzaal 1"),
        **extra,
    )
