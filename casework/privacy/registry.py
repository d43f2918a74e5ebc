"""How each app takes part in retention and in the subject-access export.

Every app that stores data about a detainee registers one `PrivacyParticipant` from its
`AppConfig.ready()` (casework registers its own in `casework/privacy/casework_part.py`):

    from casework.privacy.registry import PrivacyParticipant, register_participant

    register_participant(PrivacyParticipant(
        name="trajectories",
        anonymise=anonymise_trajectories,   # (detainee, user) -> {"goals": 3, ...} rows changed
        export=export_trajectories,         # (detainee) -> JSON-serialisable dict for the export
        closure=trajectory_closure,         # (detainee_ids) -> {id: Closure(...)}; optional
    ))

`closure` tells retention whether the app still keeps a file open (an open trajectory) and when it
was last closed; the latest date over all participants counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Closure:
    open: bool
    closed_on: dt.date | None


@dataclass(frozen=True)
class PrivacyParticipant:
    name: str
    anonymise: Callable
    export: Callable
    closure: Callable[[Iterable[int]], dict[int, Closure]] | None = None
    order: int = 50


_participants: dict[str, PrivacyParticipant] = {}


def register_participant(participant: PrivacyParticipant) -> None:
    _participants[participant.name] = participant


def participants() -> list[PrivacyParticipant]:
    from . import casework_part  # noqa: F401  (casework's own part registers on import)

    return sorted(_participants.values(), key=lambda item: (item.order, item.name))
