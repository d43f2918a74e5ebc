"""How each app takes part in merging two files of the same person (ADR 0032).

Every app whose models point at a detainee registers one `MergePart` from its `AppConfig.ready()`
(casework registers its own in `casework/services_merge.py`), so casework never imports the apps to its
right:

    from casework.merging import MergePart, count_of, register_merge_part

    register_merge_part(MergePart(
        name="trajectories",
        relations=("trajectories.Trajectory.detainee", "trajectories.Action.detainee"),
        counts=lambda: {"trajectories": (_("Trajecten"), count_of(Trajectory))},
        check=check_trajectories,   # (source, target) -> MergeCheck(conflicts=[...], resolutions=[...])
        apply=move_trajectories,    # (source, target) -> {"trajectories": 2, ...} rows moved
    ))

`relations` names every foreign key to `casework.Detainee` the part takes care of ("app.Model.field");
tests/casework/test_merge_service.py walks Django's `_meta` and fails on a relation no part claims. `counts` are
subquery expressions on `OuterRef("pk")` so the preview reads every count of a file in one query. `check`
runs with both files locked: a conflict refuses the whole merge; a resolution says which rule settled a
clash. `apply` moves the rows from `source` (the file that goes) to `target` (the one that stays).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


@dataclass
class MergeCheck:
    conflicts: list[str] = field(default_factory=list)
    resolutions: list[str] = field(default_factory=list)

    def extend(self, other: MergeCheck) -> None:
        self.conflicts.extend(other.conflicts)
        self.resolutions.extend(other.resolutions)


@dataclass(frozen=True)
class MergePart:
    name: str
    relations: tuple[str, ...]
    counts: Callable[[], dict]
    check: Callable
    apply: Callable
    order: int = 50


_parts: dict[str, MergePart] = {}


def register_merge_part(part: MergePart) -> None:
    _parts[part.name] = part


def merge_parts() -> list[MergePart]:
    from . import services_merge  # noqa: F401  (casework's own parts register on import)

    return sorted(_parts.values(), key=lambda item: (item.order, item.name))


def handled_relations() -> set[str]:
    return {relation for part in merge_parts() for relation in part.relations}


def count_of(model, field_name: str = "detainee", **filters):
    """A subquery counting the rows of `model` whose `field_name` is the outer detainee (0 when none)."""
    rows = (
        model._base_manager.filter(**{field_name: OuterRef("pk")}, **filters)
        .order_by()
        .values(field_name)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def history_ids(detainee) -> list[int]:
    """The detainee's id and the ids of every file merged into it: the change history written before a merge
    still names the merged-away id, so anonymisation clears the history rows of all of them."""
    from .models import DetaineeMerge

    return [detainee.pk, *DetaineeMerge.objects.filter(survivor_id=detainee.pk).values_list("merged_id", flat=True)]
