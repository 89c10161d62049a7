"""verify: check an article's claims and attributions against its sources.

The public API, for use from Python (everything else is internal and may change):

    import verify

    settings = verify.build_settings(verify.discover_config([path]), {"offline": True})
    embedder = verify.make_embedder(settings.model, settings.backend)
    report = verify.run(verify.discover([path]), settings, store=None, embedder=embedder)
    outcomes = verify.evaluate(report, settings)      # findings graded by severity and baseline
    print(verify.formatter("json").render(verify.Rendering(report, outcomes)))

Names are imported on first use, so `import verify` (and `verify --help`) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> the module that defines it
_EXPORTS = {
    # settings
    "Settings": "config",
    "build_settings": "config",
    "discover_config": "config",
    # running a check
    "ArticleInput": "pipeline",
    "discover": "pipeline",
    "run": "pipeline",
    "load_article": "ingest",
    "make_embedder": "embed",
    # what a check gives
    "Report": "models",
    "ArticleReport": "models",
    "Article": "models",
    "Claim": "models",
    "ClaimResult": "models",
    "Document": "models",
    "SourceRef": "models",
    "Finding": "models",
    "Verdict": "models",
    "VERDICTS": "models",
    # grading and reporting
    "Outcome": "policy",
    "evaluate": "policy",
    "has_problems": "policy",
    "Rendering": "report",
    "formatter": "report",
    "FORMATS": "report",
    # errors
    "VerifyError": "errors",
    "UsageError": "errors",
    "InputError": "errors",
    "CacheError": "errors",
}

__all__ = [  # the names of _EXPORTS (tests/test_public_api.py checks the two agree)
    "FORMATS",
    "VERDICTS",
    "Article",
    "ArticleInput",
    "ArticleReport",
    "CacheError",
    "Claim",
    "ClaimResult",
    "Document",
    "Finding",
    "InputError",
    "Outcome",
    "Rendering",
    "Report",
    "Settings",
    "SourceRef",
    "UsageError",
    "Verdict",
    "VerifyError",
    "__version__",
    "build_settings",
    "discover",
    "discover_config",
    "evaluate",
    "formatter",
    "has_problems",
    "load_article",
    "make_embedder",
    "run",
]

if TYPE_CHECKING:
    from .config import Settings, build_settings, discover_config
    from .embed import make_embedder
    from .errors import CacheError, InputError, UsageError, VerifyError
    from .ingest import load_article
    from .models import (
        VERDICTS,
        Article,
        ArticleReport,
        Claim,
        ClaimResult,
        Document,
        Finding,
        Report,
        SourceRef,
        Verdict,
    )
    from .pipeline import ArticleInput, discover, run
    from .policy import Outcome, evaluate, has_problems
    from .report import FORMATS, Rendering, formatter


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'verify' has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
