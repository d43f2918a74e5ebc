"""What the reminder engine must know about the items its reminders point at, without importing the apps.

Two registries, filled by the apps that own the items (from their AppConfig.ready()):

- `register_detainee_objects(object_type, ids_for_detainee)`: which objects of a type are about one
  detainee, so the notification centre's privacy part (notifications/privacy.py) finds the reminders
  and notifications about a file that is anonymised or exported;
- `register_recipient_check(kind, may_see)`: for kinds whose recipients can lose access to the item
  (a partner whose consent is withdrawn), `may_see(user, object_ids)` returns the ids `user` may still
  open. The notification centre then drops the link of the others (notifications/selectors.py); the
  kind's own `still_applies` withdraws their pending reminders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

DETAINEE_OBJECT_TYPE = "casework.detainee"

_detainee_objects: dict[str, Callable[[int], Iterable[int]]] = {}
_recipient_checks: dict[str, Callable[[object, set[int]], set[int]]] = {}


def register_detainee_objects(object_type: str, ids_for_detainee: Callable[[int], Iterable[int]]) -> None:
    """Declare how to find the objects of `object_type` ("app_label.model") about one detainee."""
    _detainee_objects[object_type] = ids_for_detainee


def detainee_objects(detainee_id: int) -> dict[str, set[int]]:
    """Every registered object type with the ids of its objects about `detainee_id` (one query per type)."""
    found = {DETAINEE_OBJECT_TYPE: {detainee_id}}
    for object_type, ids_for_detainee in _detainee_objects.items():
        found.setdefault(object_type, set()).update(ids_for_detainee(detainee_id))
    return found


def register_recipient_check(kind: str, may_see: Callable[[object, set[int]], set[int]]) -> None:
    """Declare that recipients of `kind` may lose access to its items; `may_see(user, ids)` says which remain."""
    _recipient_checks[kind] = may_see


def recipient_check(kind: str) -> Callable[[object, set[int]], set[int]] | None:
    return _recipient_checks.get(kind)
