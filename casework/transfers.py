"""How each app takes its prison-bound work along when a detainee is transferred (ADR 0040).

A transfer is recorded by one service, `casework.services_transfer.detainee_transfer`, whatever the path (the
transfer form, the API, a placement in another prison, the in-scope list import). Casework knows nothing of
conferences or reminders, so the apps to its right register a `TransferPart` from their `AppConfig.ready()`:

    from casework.transfers import TransferPart, register_transfer_part

    register_transfer_part(TransferPart(name="casusoverleg", apply=conferences_follow_transfer))

`apply(placement=..., user=...)` runs inside the transfer's transaction and history context: an error it raises
undoes the whole transfer. `placement.transferred_from` is the prison left, `placement.prison` the new one and
`placement.from_date` the transfer date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class TransferPart:
    name: str
    apply: Callable
    order: int = 50


_parts: dict[str, TransferPart] = {}


def register_transfer_part(part: TransferPart) -> None:
    _parts[part.name] = part


def transfer_parts() -> list[TransferPart]:
    return sorted(_parts.values(), key=lambda item: (item.order, item.name))
