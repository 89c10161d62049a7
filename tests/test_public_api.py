"""verify's curated public API: every name resolves, `import verify` stays light, the example runs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from ci_support import FakeEmbedder, make_corpus

import verify


def test_every_public_name_resolves_to_its_module_object() -> None:
    from verify import config, models, pipeline, report

    assert verify.Settings is config.Settings
    assert verify.run is pipeline.run
    assert verify.Report is models.Report
    assert verify.formatter is report.formatter
    for name in verify.__all__:
        assert getattr(verify, name) is not None, name
    assert set(verify.__all__) == {"__version__", *verify._EXPORTS}
    assert sorted(verify.__all__) == dir(verify)


def test_import_verify_loads_no_pipeline_module() -> None:
    code = "import sys, verify; print(sorted(m for m in sys.modules if m.startswith('verify')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.replace("'", '"')) == ["verify"]


def test_unknown_name_is_an_attribute_error() -> None:
    try:
        verify.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("expected AttributeError")


def test_the_documented_example_checks_an_article(tmp_path: Path) -> None:
    make_corpus(tmp_path)
    path = tmp_path / "a.md"
    settings = verify.build_settings(verify.discover_config([path]), {"offline": True})
    report = verify.run(verify.discover([path]), settings, store=None, embedder=FakeEmbedder())
    outcomes = verify.evaluate(report, settings)
    data = json.loads(verify.formatter("json").render(verify.Rendering(report, outcomes)))
    assert len(data["articles"]) == 1 and data["cache"]["enabled"] is False
    assert data["articles"][0]["claims"]
