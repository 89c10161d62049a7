"""A wall-clock budget per article: past it, the article is reported as not checked.

The parsers are linear, so the budget is a second line of defence against input nobody has
thought of yet. It uses SIGALRM (an interval timer), which interrupts Python code and the
regular-expression engine alike; where there is no such timer (Windows, a worker thread such as
a Dask worker's) a stage cannot be interrupted, but an article whose stage overran its budget is
still reported as not checked when the stage ends.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class OverBudget(Exception):
    """The work took longer than its budget."""


def _can_interrupt() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_budget(seconds: float) -> Iterator[None]:
    """Raise OverBudget inside the block once `seconds` have passed (nested budgets: the outer one rules)."""
    if seconds <= 0 or not _can_interrupt() or signal.getitimer(signal.ITIMER_REAL)[0] > 0:
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise OverBudget(f"took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class Stopwatch:
    """Time spent on each article so far, so its later stages get only what is left."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.spent: dict[str, float] = {}

    def charge(self, key: str, seconds: float) -> None:
        """Count work done for `key` elsewhere (reading its sources) against its budget."""
        self.spent[key] = self.spent.get(key, 0.0) + seconds

    @contextmanager
    def run(self, key: str) -> Iterator[None]:
        start = time.monotonic()
        left = self.budget - self.spent.get(key, 0.0)
        try:
            if left <= 0:
                raise OverBudget
            with time_budget(left):
                yield
            if self.budget > 0 and time.monotonic() - start > left:
                raise OverBudget  # no timer here (a worker thread): the overrun is found when the stage ends
        except OverBudget:
            raise OverBudget(f"took longer than {self.budget:g} s") from None
        finally:
            self.spent[key] = self.spent.get(key, 0.0) + time.monotonic() - start
