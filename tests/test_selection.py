"""Include/exclude globs follow gitignore rules (pathspec), also where the old hand-made regex erred."""

from __future__ import annotations

from pathlib import Path

import pytest

from verify.selection import ArticleInput, discover, glob_matches, is_selected, select


def touch(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("A sentence.\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("**/drafts/", "news/drafts/a.md", True),
        ("**/drafts/", "drafts/a.md", True),
        ("./drafts", "drafts/a.md", True),  # a leading ./ and surrounding spaces are ignored
        ("  drafts  ", "drafts/a.md", True),
        ("/a.md", "x/a.md", False),  # a leading / anchors to the config's folder
        ("notes/", "notes", False),  # a trailing / matches folders only (the old regex took the file)
        ("notes/", "notes/a.md", True),
        ("\\!important.md", "!important.md", True),  # an escaped ! is a literal name
    ],
)
def test_gitignore_rules(pattern: str, path: str, expected: bool) -> None:
    assert glob_matches(pattern, path) is expected


def test_negation_takes_a_path_back_out_of_exclude(tmp_path: Path) -> None:
    kept = touch(tmp_path / "drafts" / "keep.md")
    dropped = touch(tmp_path / "drafts" / "wip.md")
    other = touch(tmp_path / "news" / "a.md")
    exclude = ("drafts/", "!drafts/keep.md")
    assert [is_selected(p, (), exclude, tmp_path) for p in (kept, dropped, other)] == [True, False, True]


def test_negation_in_include_and_order_matters(tmp_path: Path) -> None:
    new = touch(tmp_path / "articles" / "2025" / "a.md")
    old = touch(tmp_path / "articles" / "old" / "b.md")
    assert is_selected(new, ("articles", "!articles/old/"), (), tmp_path)
    assert not is_selected(old, ("articles", "!articles/old/"), (), tmp_path)
    # a later pattern wins: re-including after the negation takes the folder back
    assert is_selected(old, ("articles", "!articles/old/", "articles/old/b.md"), (), tmp_path)


def test_select_keeps_order_and_ignores_paths_outside_the_root(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    inside = touch(root / "drafts" / "a.md")
    kept = touch(root / "b.md")
    outside = touch(tmp_path / "elsewhere" / "drafts" / "c.md")
    items = discover([root, outside])
    assert [i.path for i in items] == [kept, inside, outside]  # a folder's files in sorted order
    chosen = select(items, (), ("drafts",), root)
    assert chosen == [ArticleInput(kept, str(kept)), ArticleInput(outside, str(outside))]


def test_the_checks_before_a_run_parse_each_article_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import verify.selection as selection
    from verify.config import Settings

    (tmp_path / "page.html").write_text("<p>The page.</p>", encoding="utf-8")
    article = tmp_path / "a.md"
    article.write_text("---\nsources:\n  - page.html\n---\nThe claim.\n", encoding="utf-8")
    loaded: list[Path] = []
    real = selection.load_article

    def counting(path: Path, *args: object) -> object:
        loaded.append(path)
        return real(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(selection, "load_article", counting)
    settings = Settings(root=tmp_path)
    inputs = [ArticleInput(article, "a.md"), ArticleInput(tmp_path / "page.html", "page.html")]
    run: selection.LoadedArticles = {}
    articles, sources = selection.set_aside_sources(inputs, [], settings, run)
    read = selection.files_read(articles, settings, run)
    assert [a.display for a in articles] == ["a.md"] and [s.display for s in sources] == ["page.html"]
    assert read[tmp_path / "page.html"] == "a source of a.md"
    assert loaded == [article]

    # the next run reads the article as it is now, whatever its clock tick and size
    article.write_text("---\nsources:\n  - other.html\n---\nThe claim, edited.\n", encoding="utf-8")
    assert Path(tmp_path / "other.html") in selection.files_read(articles, settings, {})
    assert loaded == [article, article]


def test_a_run_reads_each_markdown_article_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The checks made before the run read the articles for their sources; the run reuses what they read."""
    import json

    from ci_support import make_corpus, run_cli

    import verify.pipeline as pipeline
    import verify.selection as selection
    from verify.ingest import load_article

    read: list[Path] = []

    def counting(path: Path, *args: object) -> object:
        read.append(path)
        return load_article(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(selection, "load_article", counting)
    monkeypatch.setattr(pipeline, "load_article", counting)
    article = make_corpus(tmp_path)
    code, _, err = run_cli(
        [
            str(article),
            "--format",
            "json",
            "--output",
            str(tmp_path / "r.json"),
            "--db",
            str(tmp_path / "c.db"),
        ],
        monkeypatch,
        capsys,
    )
    assert code in (0, 1), err
    assert read == [article]
    assert json.loads((tmp_path / "r.json").read_text())["articles"][0]["claims"]


def test_an_article_read_before_the_run_still_spends_its_time_budget(tmp_path: Path) -> None:
    """The seconds the CLI spent reading an article count, as when the run read it itself."""
    from ci_support import make_corpus
    from conftest import FakeEmbedder

    from verify.config import Settings
    from verify.ingest import load_article
    from verify.models import Report
    from verify.pipeline import run

    article = make_corpus(tmp_path)
    read = load_article(article, str(article))

    def run_after_reading(seconds: float) -> Report:
        settings = Settings(offline=True, article_timeout=1.0)
        inputs = [ArticleInput(article, str(article))]
        return run(inputs, settings, store=None, embedder=FakeEmbedder(), loaded={article: (read, seconds)})

    fresh = run_after_reading(0.01)
    assert fresh.articles and not fresh.errors
    slow = run_after_reading(1.5)
    assert not slow.articles
    assert slow.errors == (
        f"{article}: not checked: took longer than 1 s (the time budget per article, article-timeout)",
    )


def test_an_article_named_twice_is_checked_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.md").write_text("The sky is blue.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("The sea is green.\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    found = discover([Path("a.md"), Path("./a.md"), Path("."), tmp_path / "b.md"])
    assert [item.display for item in found] == ["a.md", "b.md"]
