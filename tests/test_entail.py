"""The entailment runtime without its weights: absent files mean no model, bad label files are refused.

The tests of the trained model itself (self-entailment, a changed year or an inserted "not",
batching, no torch at run time) come back with the weights; see docs/entailment-model.md.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from verify import entail
from verify.entail import EntailmentModel, load_bundled
from verify.errors import UsageError


def test_load_bundled_is_none_without_the_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entail, "BUNDLED_DIR", tmp_path)
    assert load_bundled() is None


def test_a_label_file_without_contradiction_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / entail.LABELS_FILE).write_text(
        json.dumps({"labels": ["entailment", "neutral"]}), encoding="utf-8"
    )
    with pytest.raises(UsageError, match="contradiction"):
        EntailmentModel(tmp_path)


def test_importing_the_runtime_imports_no_torch() -> None:
    code = "import sys, verify.entail\nassert not {'torch', 'transformers'} & set(sys.modules)\n"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
