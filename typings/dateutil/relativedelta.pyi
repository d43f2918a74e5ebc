# Types of python-dateutil's relativedelta, as far as this project uses it (date ± relativedelta(months=…)).
# python-dateutil ships no types; without this a date moved by months was Any to mypy.
import datetime as dt
from typing import TypeVar, overload

_D = TypeVar("_D", bound=dt.date)

class relativedelta:
    years: int
    months: int
    days: int
    leapdays: int
    hours: int
    minutes: int
    seconds: int
    microseconds: int
    def __init__(
        self,
        dt1: dt.date | None = None,
        dt2: dt.date | None = None,
        years: int = 0,
        months: int = 0,
        days: int = 0,
        leapdays: int = 0,
        weeks: int = 0,
        hours: int = 0,
        minutes: int = 0,
        seconds: int = 0,
        microseconds: int = 0,
        year: int | None = None,
        month: int | None = None,
        day: int | None = None,
        weekday: int | None = None,
        yearday: int | None = None,
        nlyearday: int | None = None,
        hour: int | None = None,
        minute: int | None = None,
        second: int | None = None,
        microsecond: int | None = None,
    ) -> None: ...
    @overload
    def __add__(self, other: relativedelta) -> relativedelta: ...
    @overload
    def __add__(self, other: _D) -> _D: ...
    def __radd__(self, other: _D) -> _D: ...
    def __rsub__(self, other: _D) -> _D: ...
    def __neg__(self) -> relativedelta: ...
    def __bool__(self) -> bool: ...
