"""The sections of the profile page (`accounts:profile`), one registry so accounts never imports the apps
to its right: the calendar feed lives in casusoverleg, the e-mail settings in notifications, and each adds
its own section from its `AppConfig.ready()`:

    from accounts.profile import ProfileSection, register_profile_section

    register_profile_section(ProfileSection(name="calendar_feed", title=_("Agendafeed"),
                                            template="casusoverleg/_profile_feed.html", order=40,
                                            context=feed_context))

A section's `context(request)` returns its template context and runs a fixed number of queries; it only
ever reads the logged-in user's own data. Its forms post to the app's own views, which send the user back
to the profile (`next`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProfileSection:
    name: str
    title: str
    template: str
    order: int = 50
    context: Callable = field(default=lambda request: {})
    # Role codes (accounts.User.Role) that see the section; empty: every role.
    roles: frozenset[str] = frozenset()

    def shown_to(self, user) -> bool:
        return not self.roles or user.role in self.roles


_sections: dict[str, ProfileSection] = {}


def register_profile_section(section: ProfileSection) -> None:
    """Add a section; registering the same name again replaces it."""
    _sections[section.name] = section


def profile_sections(user) -> list[ProfileSection]:
    return sorted((s for s in _sections.values() if s.shown_to(user)), key=lambda s: (s.order, s.name))
