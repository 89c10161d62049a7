"""The GitHub Action (action.yml) and docs/ci.md's workflow: schemas, actionlint, the shell steps run."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, ROOT

from verify.ci_summary import markdown

ACTION = ROOT / "action.yml"
DEAD_PROXY = "http://127.0.0.1:9"  # any download attempt fails at once: the checks must work offline


def _workflow() -> str:
    """The ten-line workflow of docs/ci.md's section on the ready-made action."""
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    section = text.split("## The ready-made GitHub Action", 1)[1].split("\n## ", 1)[0]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def _check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HTTP_PROXY": DEAD_PROXY, "HTTPS_PROXY": DEAD_PROXY, "NO_PROXY": ""}
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(path)]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False, timeout=120)


def test_action_and_workflow_validate_against_the_published_schemas(tmp_path: Path) -> None:
    done = _check_jsonschema("vendor.github-actions", ACTION)
    assert done.returncode == 0, done.stdout + done.stderr
    workflow = tmp_path / "verify.yml"
    workflow.write_text(_workflow(), encoding="utf-8")
    assert len(_workflow().strip().splitlines()) == 10
    done = _check_jsonschema("vendor.github-workflows", workflow)
    assert done.returncode == 0, done.stdout + done.stderr

    # the schemas do reject what GitHub rejects: a composite step without a shell, a job without runs-on
    broken = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    del next(s for s in broken["runs"]["steps"] if s.get("id") == "check")["shell"]
    (tmp_path / "action.yml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert _check_jsonschema("vendor.github-actions", tmp_path / "action.yml").returncode == 1
    workflow.write_text(_workflow().replace("    runs-on: ubuntu-latest\n", ""), encoding="utf-8")
    assert _check_jsonschema("vendor.github-workflows", workflow).returncode == 1


@pytest.mark.skipif(
    shutil.which("actionlint") is None, reason="actionlint not installed (scripts/install-actionlint.sh)"
)
def test_actionlint_finds_nothing_in_the_workflows(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "verify.yml").write_text(_workflow(), encoding="utf-8")
    # the action used from its own repository: actionlint reads action.yml for the inputs
    shutil.copy(ACTION, tmp_path / "action.yml")
    local = _workflow().replace("verify-project/verify@v0.1.0", "./")
    (folder / "local.yml").write_text(local, encoding="utf-8")
    files = [str(folder / "verify.yml"), str(folder / "local.yml")]
    done = subprocess.run(["actionlint", *files], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    # it is really linting: an injected expression in a script is reported
    (folder / "bad.yml").write_text(
        "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8",
    )
    done = subprocess.run(
        ["actionlint", str(folder / "bad.yml")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 1 and "untrusted" in done.stdout


def test_action_scripts_take_inputs_through_the_environment_only() -> None:
    """No `${{ }}` inside a run script (script injection): inputs reach the shell as env variables."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    steps = action["runs"]["steps"]
    assert all("${{" not in step.get("run", "") for step in steps)
    assert {s["uses"].split("@")[0] for s in steps if "uses" in s} == {
        "actions/setup-python",
        "actions/cache",
        "actions/upload-artifact",
        "github/codeql-action/upload-sarif",
    }
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache"))
    assert "~/.cache/verify" in cache["with"]["path"]
    install = next(s for s in steps if s.get("id") == "install")
    assert "--index-url https://download.pytorch.org/whl/cpu" in install["run"]
    assert set(action["outputs"]) >= {"exit-code", "supported", "contradicted", "unsupported", "errors"}


class _Expressions:
    """The `${{ }}` expressions action.yml uses, with the values a pull request run would give."""

    def __init__(self, inputs: dict[str, str], values: dict[str, str]) -> None:
        self.inputs = inputs
        self.values = values

    def value(self, expression: str) -> str:
        for alternative in expression.split("||"):
            name = alternative.strip()
            if name.startswith("inputs."):
                found = self.inputs[name.removeprefix("inputs.")]
            else:
                assert name in self.values, (
                    f"action.yml uses ${{{{ {name} }}}}, which this test does not know"
                )
                found = self.values[name]
            if found:
                return found
        return ""

    def expand(self, text: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: self.value(m.group(1)), text)


def _git(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=env, check=True)
    return done.stdout.strip()


def _run_step(step: dict[str, Any], expressions: _Expressions, env: dict[str, str], repo: Path) -> int:
    """A `shell: bash` step as the runner runs it: env expanded, `bash --noprofile --norc -eo pipefail`."""
    assert step["shell"] == "bash"
    step_env = {**env, **{k: expressions.expand(str(v)) for k, v in step.get("env", {}).items()}}
    script = repo.parent / f"step-{step.get('id', 'x')}.sh"
    script.write_text(step["run"], encoding="utf-8")
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=repo,
        env=step_env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode in (0, 1), done.stdout + done.stderr
    return done.returncode


def test_the_action_shell_steps_on_a_repository_with_two_commits(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "articles" / "pages").mkdir(parents=True)
    for page in (FIXTURES / "pages").iterdir():
        shutil.copy(page, repo / "articles" / "pages" / page.name)
    (repo / "articles" / "old.md").write_text(
        "---\ntitle: Old\nsources:\n  - url: https://archive.example.org/2008/nasa-commercial-resupply-services\n"
        "    file: pages/nasa-commercial-resupply-2008.html\n---\n\nNASA awarded cargo contracts in 2008.\n",
        encoding="utf-8",
    )
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "first")
    base = _git(repo, "rev-parse", "HEAD")
    shutil.copy(FIXTURES / "cmsa-private-rockets.md", repo / "articles" / "rockets.md")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "second: an article with a wrong figure")

    # `verify` and `python` on the PATH run this checkout
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, command in (("verify", "-m verify"), ("python", "")):
        (bin_dir / name).write_text(f'#!/bin/sh\nexec "{sys.executable}" {command} "$@"\n', encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    temp, output, summary = tmp_path / "runner-temp", tmp_path / "output", tmp_path / "summary.md"
    temp.mkdir()
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ACTION_PATH": str(ROOT),
        "RUNNER_TEMP": str(temp),
        "CI": "true",
    }
    env.pop("VERIFY_DEBUG", None)
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs["paths"] = "articles"
    artifact = "https://github.com/o/r/actions/runs/1/artifacts/2"
    values = {
        "github.event.pull_request.base.sha": base,
        "github.event.before": "",
        "github.action_path": str(ROOT),
        "runner.temp": str(temp),
        "steps.upload.outputs.artifact-url": artifact,  # what actions/upload-artifact gives back
    }
    steps = {step["id"] if "id" in step else step["name"]: step for step in action["runs"]["steps"]}

    assert _run_step(steps["check"], _Expressions(inputs, values), env, repo) == 0  # never fails itself
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    assert outputs["exit-code"] == "1"  # the $3.6 billion figure is contradicted: problems found
    assert outputs["articles"] == "1"  # only the article of the second commit
    assert int(outputs["contradicted"]) >= 1 and int(outputs["errors"]) >= 1
    values |= {f"steps.check.outputs.{k}": v for k, v in outputs.items()}

    out = temp / "verify-report"
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [a["path"] for a in report["articles"]] == ["articles/rockets.md"]
    sarif = json.loads(Path(outputs["sarif"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"] == "claim.contradicted" for r in results)
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results} == {
        "articles/rockets.md"
    }
    page = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "China considers private rockets" in page and "Contradicted" in page

    summary_step = next(s for s in action["runs"]["steps"] if s.get("name") == "Write the job summary")
    assert _run_step(summary_step, _Expressions(inputs, values), env, repo) == 0
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## verify: 1 article, ")
    assert re.search(r"\| ✖ Contradicted \| [1-9]", text)
    assert "| ✖ | articles/rockets.md:" in text and "`claim.contradicted`" in text
    assert f"[download the artifact]({artifact})" in text

    failing = next(s for s in action["runs"]["steps"] if s.get("name") == "Fail on findings")
    assert _run_step(failing, _Expressions(inputs, values), env, repo) == 1

    # a push with nothing changed since: no article, an empty-handed but successful run
    output.write_text("")
    values["github.event.pull_request.base.sha"] = _git(repo, "rev-parse", "HEAD")
    assert _run_step(steps["check"], _Expressions(inputs, values), env, repo) == 0
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines())
    assert outputs["exit-code"] == "0" and outputs["articles"] == "0"


def test_summary_keeps_article_text_as_text() -> None:
    report = {
        "articles": [
            {
                "path": "a|b.md",
                "claims": [{"verdict": "contradicted"}],
                "findings": [
                    {
                        "rule": "claim.contradicted",
                        "severity": "error",
                        "line": 3,
                        "message": "<img src=x onerror=alert(1)> [link](javascript:x) | *bold*\n## heading",
                    }
                ],
            }
        ]
    }
    text = markdown(report, "javascript:alert(1)")
    row = next(line for line in text.splitlines() if line.startswith("| ✖ |"))
    assert "<img" not in row and "&lt;img" in row and "\\[link\\]" in row and "\\*bold\\*" in row
    assert row.count(" | ") == 3 + 0 and "a\\|b.md:3" in row  # no extra cells
    assert "javascript:" not in text.split("### Problems")[1].split("\n\n")[-1]
    assert markdown(None, exit_code="2").startswith(
        "## verify\n\nverify did not write a report (exit code 2)"
    )
