"""Extension points of the case-file pages: the tabs of a detainee's file and the panels of "Mijn dag".

Apps to the right of casework (trajectories, casusoverleg, notifications …) add their own tab or panel
from their `AppConfig.ready()`, so casework never imports them (docs/design.md §2, one-way dependencies):

    from casework.views.registry import FileTab, MyDayPanel, register_file_tab, register_my_day_panel

    register_file_tab(FileTab(slug="goals", label=_("Doelen"), url_name="trajectories:file_goals",
                              perm="trajectories.view_goals", order=25))
    register_my_day_panel(MyDayPanel(name="reminders", template="notifications/my_day_reminders.html",
                                     roles={"consultant", "manager"}, order=5, context=reminders_for))

A tab's own view renders inside the file with `casework.views.file.render_file_page(...)`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse


@dataclass(frozen=True)
class FileTab:
    slug: str
    label: str
    url_name: str
    # A django-rules permission checked against the detainee; the tab is hidden without it.
    perm: str
    order: int = 50

    def url(self, detainee) -> str:
        return reverse(self.url_name, args=[detainee.pk])


@dataclass(frozen=True)
class MyDayPanel:
    name: str
    template: str
    # Role codes (accounts.User.Role) that see the panel.
    roles: frozenset[str] | set[str]
    order: int = 50
    # Returns the panel's template context; must run a fixed number of queries.
    context: Callable = field(default=lambda request: {})


_file_tabs: dict[str, FileTab] = {}
_my_day_panels: dict[str, MyDayPanel] = {}


def register_file_tab(tab: FileTab) -> None:
    _file_tabs[tab.slug] = tab


def register_my_day_panel(panel: MyDayPanel) -> None:
    _my_day_panels[panel.name] = panel


def file_tabs() -> list[FileTab]:
    return sorted(_file_tabs.values(), key=lambda tab: (tab.order, tab.slug))


def my_day_panels(role: str) -> list[MyDayPanel]:
    return sorted((p for p in _my_day_panels.values() if role in p.roles), key=lambda p: (p.order, p.name))


# --- What a partner may open on a file (ADR 0034) ------------------------------------------------------------
# Each app that holds content a consent can share registers a provider: `provider(user, detainee, scopes,
# purposes)` returns `SharedItem`s the partner may open (each provider a fixed number of queries, at most one).


@dataclass(frozen=True)
class SharedItem:
    # The consent scope (casework.models.Scope) or purpose (casework.models.Purpose) that lets him open it.
    basis: str
    label: str
    url: str
    detail: str = ""


_shared_item_providers: dict[str, Callable] = {}


def register_shared_items(name: str, provider: Callable) -> None:
    _shared_item_providers[name] = provider


def shared_item_providers() -> list[Callable]:
    return [provider for _name, provider in sorted(_shared_item_providers.items())]
