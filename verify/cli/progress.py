"""Progress bars on stderr while a check runs (only for a person at a terminal)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..embed import Embedder


class ProgressDisplay:
    """Bars on stderr for reading, fetching, loading the model, embedding and checking."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )

        self.bars = Progress(
            SpinnerColumn(),
            TextColumn("{task.description:<13}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.tasks: dict[str, Any] = {}
        self.started = False

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.started:
            self.bars.start()
            self.started = True
        if stage not in self.tasks:
            self.tasks[stage] = self.bars.add_task(stage, total=total or None)
        self.bars.update(self.tasks[stage], completed=done, total=total or None)

    def close(self) -> None:
        if self.started:
            self.bars.stop()


def make_progress(quiet: bool) -> ProgressDisplay | None:
    """A progress display only for a person at a terminal: not with --quiet, in CI, or when piped."""
    if quiet or os.environ.get("CI") or not sys.stderr.isatty():
        return None
    return ProgressDisplay()


class _Counted:
    """Passes texts to the model and reports loading the model and how many texts were embedded so far."""

    CHUNK = 64  # texts per report: the display moves every second or so even on a busy CPU

    def __init__(self, inner: Embedder, progress: ProgressDisplay) -> None:
        self.inner = inner
        self.name = inner.name
        self.progress = progress
        self.done = 0
        self.loaded = False

    def warm(self) -> None:
        """Load the model (a few seconds on a cold start) under its own progress line."""
        if self.loaded:
            return
        warm = getattr(self.inner, "warm", None)
        if warm is not None:
            self.progress("loading model", 0, 1)
            warm()
            self.progress("loading model", 1, 1)
        self.loaded = True

    def encode(self, texts: Sequence[str]) -> Any:
        import numpy as np

        if not len(texts):
            return self.inner.encode(texts)
        self.warm()
        self.progress("embedding", self.done, 0)
        parts = []
        for start in range(0, len(texts), self.CHUNK):
            chunk = texts[start : start + self.CHUNK]
            parts.append(self.inner.encode(chunk))
            self.done += len(chunk)
            self.progress("embedding", self.done, 0)
        return np.concatenate(parts) if len(parts) > 1 else parts[0]
