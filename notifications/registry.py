"""The registry of reminder kinds. Each app declares its own kinds in `<app>/reminders.py`
(loaded by `NotificationsConfig.ready()`), so the engine stays at the bottom of the dependency
chain and knows nothing about conferences, actions or trajectories.

A kind says:
- `plan(ctx)`: yield unsaved `Reminder` rows for items that fall due within the planning window
  (build them with `ctx.draft(...)`); the engine upserts them with ON CONFLICT DO NOTHING, so
  planning the same item twice is harmless. The text is given untranslated (`gettext_lazy` plus
  `text_params`): `draft` writes it in the recipient's language;
- `still_applies(reminders)`: given a batch of claimed reminders of this kind, return the ids of
  those that must still be sent (one query per batch, never one per reminder); the others are
  withdrawn (action done, conference cancelled, trajectory closed …);
- `default_offsets`: days relative to the item's reference date, overridable per organisation
  with a `ReminderSetting`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import override

from accounts.texts import text_code

from .models import Reminder, ReminderSetting

# Reminders are sent from this local hour on their due day, unless a kind says otherwise.
DEFAULT_SEND_TIME = dt.time(8, 0)
# How many days back a planner looks for items that fell due (covers a sweep outage of days).
PLANNING_LOOKBACK_DAYS = 3


def _all_apply(reminders: list[Reminder]) -> set[int]:
    return {reminder.pk for reminder in reminders}


@dataclass(frozen=True)
class ReminderKind:
    code: str
    label: str
    plan: Callable[[PlanContext], Iterable[Reminder]]
    still_applies: Callable[[list[Reminder]], set[int]] = _all_apply
    default_offsets: tuple[int, ...] = (0,)
    # Whether offsets count days before (negative allowed) the reference date.
    offsets_help: str = ""
    # Always e-mailed: a user cannot switch this kind's e-mail off on his profile (invitations, legal deadlines).
    mail_mandatory: bool = False
    # Kinds this one makes redundant when both reach the same person about the same object in one delivery
    # (the invitation already says when the conference is): those are withdrawn (services._superseded).
    supersedes: tuple[str, ...] = ()


_registry: dict[str, ReminderKind] = {}


def register(kind: ReminderKind) -> ReminderKind:
    """Declare a kind. Registering the same code twice replaces it (module reloads in tests)."""
    _registry[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    _registry.pop(code, None)


def get_kind(code: str) -> ReminderKind | None:
    return _registry.get(code)


def all_kinds() -> list[ReminderKind]:
    return sorted(_registry.values(), key=lambda kind: kind.code)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_moment(day: dt.date, at: dt.time = DEFAULT_SEND_TIME) -> dt.datetime:
    """The aware instant of local wall time `at` on `day`.

    A wall time that does not exist (02:30 on the spring-forward night) resolves to the instant
    one hour later; an ambiguous one (02:30 on the autumn night) to its first occurrence. Either
    way it is one instant, so a reminder is neither skipped nor doubled.
    """
    return dt.datetime.combine(day, at, tzinfo=local_zone())


@dataclass
class PlanContext:
    """What a planner needs: today's local date, the window, and the organisations' offsets."""

    now: dt.datetime
    lookback_days: int = PLANNING_LOOKBACK_DAYS
    _settings: dict[tuple[int, str], ReminderSetting] = field(default_factory=dict)
    # Users whose language is not the default, loaded on the first draft (one query per planning run).
    _languages: dict[int, str] | None = None

    @classmethod
    def load(cls, now: dt.datetime | None = None, lookback_days: int = PLANNING_LOOKBACK_DAYS) -> PlanContext:
        """One query loads every organisation's settings for the whole planning run."""
        loaded = {(s.organisation_id, s.kind): s for s in ReminderSetting.objects.all()}
        return cls(now=now or timezone.now(), lookback_days=lookback_days, _settings=loaded)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    @property
    def window_start(self) -> dt.date:
        return self.today - dt.timedelta(days=self.lookback_days)

    def window(self) -> list[dt.date]:
        """The local days whose due items are planned now (oldest first, today last)."""
        return [self.window_start + dt.timedelta(days=n) for n in range(self.lookback_days + 1)]

    def offsets(self, code: str, organisation_id: int | None) -> tuple[int, ...]:
        """The organisation's offsets for `code`, the kind's defaults, or () when switched off."""
        setting = self._settings.get((organisation_id, code))
        if setting is not None:
            return tuple(setting.offsets) if setting.enabled else ()
        kind = get_kind(code)
        return kind.default_offsets if kind else ()

    def all_offsets(self, code: str) -> set[int]:
        """Every offset any organisation uses for `code`: planners filter their querysets on these."""
        kind = get_kind(code)
        found = set(kind.default_offsets if kind else ())
        for (_org, kind_code), setting in self._settings.items():
            if kind_code == code and setting.enabled:
                found.update(setting.offsets)
        return found

    def reference_days(self, code: str) -> dict[int, list[dt.date]]:
        """For each offset in use: the reference dates whose reminder falls due in the window.

        A reminder with offset `o` on reference date `r` falls due on `r + o`; planners query
        `reference_date__in=...` per offset and keep the rows whose organisation uses that offset.
        """
        return {offset: [day - dt.timedelta(days=offset) for day in self.window()] for offset in self.all_offsets(code)}

    def language_of(self, user_id: int) -> str:
        """The language `user_id` reads in (User.language)."""
        if self._languages is None:
            from accounts.models import User

            self._languages = dict(User.objects.exclude(language=settings.LANGUAGE_CODE).values_list("pk", "language"))
        return self._languages.get(user_id, settings.LANGUAGE_CODE)

    def draft(
        self,
        *,
        kind: str,
        obj=None,
        object_type: str = "",
        object_id: int | None = None,
        due_on: dt.date,
        recipient_id: int,
        text: str,
        text_params: dict | None = None,
        link: str = "",
        at: dt.time = DEFAULT_SEND_TIME,
    ) -> Reminder:
        """An unsaved reminder; the engine saves it unless the same key already exists.

        `text` is a lazy translation (`gettext_lazy`), filled with `text_params`; it is written in
        the recipient's language and stored so (a later change of language does not rewrite it).
        """
        return Reminder(
            kind=kind,
            object_type=object_type or obj._meta.label_lower,
            object_id=object_id if object_id is not None else obj.pk,
            due_on=due_on,
            due_at=local_moment(due_on, at),
            recipient_id=recipient_id,
            text=render_text(text, text_params, self.language_of(recipient_id))[:240],
            text_code=text_code(text),
            text_params=text_params,
            link=link[:300],
        )


def render_text(text, params: dict | None, language: str) -> str:
    """A reminder text (lazy translation + parameters) in `language`."""
    with override(language):
        return str(text) % params if params is not None else str(text)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """`day` plus `count` working days (Monday–Friday; public holidays are not modelled)."""
    step = 1 if count >= 0 else -1
    remaining = abs(count)
    while remaining:
        day += dt.timedelta(days=step)
        if day.weekday() < 5:
            remaining -= 1
    return day
