"""WARC archives of a run's sources (`--archive`), replay from them (`--replay`), `verify archive`."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import tracemalloc
from contextlib import redirect_stdout
from dataclasses import replace
from pathlib import Path

import pytest
from ci_support import run_cli
from conftest import FIXTURES, Reply, Server, page
from warcio.archiveiterator import ArchiveIterator
from warcio.cli import main as warcio_main

from verify.archive import ArchiveWriter, Replay, fetch_pages
from verify.config import Settings
from verify.errors import UsageError
from verify.models import Fetched, Skipped, SourceRef

ARTICLE = FIXTURES / "cmsa-private-rockets.md"
FIXTURE_URLS = {
    "https://archive.example.org/2023/cmsa-private-rockets-cargo",
    "https://archive.example.org/2008/nasa-commercial-resupply-services",
    "https://archive.example.org/2023/space-startups-explainer",
}


def _records(path: Path) -> list[tuple[str, dict[str, str], bytes]]:
    """(type, WARC headers, payload) of every record, read with warcio's own iterator."""
    out = []
    with open(path, "rb") as stream:
        for record in ArchiveIterator(stream):
            headers = dict(record.rec_headers.headers)
            out.append((record.rec_type, headers, record.content_stream().read()))
    return out


def _sha1_base32(data: bytes) -> str:
    return "sha1:" + base64.b32encode(hashlib.sha1(data).digest()).decode()


def _verdicts(report: dict) -> list[tuple[str, str]]:
    return [(c["text"], c["verdict"]) for a in report["articles"] for c in a["claims"]]


def _without_times(report: dict) -> dict:
    report = json.loads(json.dumps(report))
    report.pop("generated_at")
    return report


def test_fixture_archived_offline_then_replayed_gives_the_same_verdicts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    warc = tmp_path / "a.warc.gz"
    args = [str(ARTICLE), "--format", "json", "--quiet"]
    code, out, err = run_cli([*args, "--offline", "--archive", str(warc)], monkeypatch, capsys)
    assert code in (0, 1), err
    archived = json.loads(out)
    assert warc.is_file() and not list(tmp_path.glob(".a.warc.gz.tmp*"))

    # the fixture's local files are archived under the URLs they stand for
    responses = [(h, body) for kind, h, body in _records(warc) if kind == "response"]
    assert {h["WARC-Target-URI"] for h, _ in responses} == FIXTURE_URLS
    local = (FIXTURES / "pages" / "cmsa-private-rockets-report.html").read_bytes()
    assert local in [body for _, body in responses]

    # replay: the fixture files are not read (they are gone), nothing is fetched
    copy = tmp_path / "article"
    shutil.copytree(FIXTURES, copy)
    shutil.rmtree(copy / "pages")
    replay_args = [str(copy / ARTICLE.name), "--format", "json", "--quiet", "--replay", str(warc)]
    code, out, err = run_cli(replay_args, monkeypatch, capsys)
    assert code in (0, 1), err
    first = json.loads(out)
    assert _verdicts(first) == _verdicts(archived)
    assert any(c["verdict"] != "not_checkable" for c in first["articles"][0]["claims"])
    sources = first["articles"][0]["sources"]
    assert [s["status"] for s in sources] == ["used"] * 3
    by_uri = {h["WARC-Target-URI"]: h for h, _ in responses}
    for source in sources:
        record = source["archive"]
        assert record["replayed"] is True
        assert record["digest"] == by_uri[source["url"]]["WARC-Payload-Digest"]
        assert record["record_id"] == by_uri[source["url"]]["WARC-Record-ID"]
        assert record["captured"] == by_uri[source["url"]]["WARC-Date"]
    # the archiving run names the records too, with the same digests
    assert [s["archive"]["digest"] for s in archived["articles"][0]["sources"]] == [
        s["archive"]["digest"] for s in sources
    ]

    # same article + same archive: the same report, byte for byte but for the run's time
    code, out, err = run_cli(replay_args, monkeypatch, capsys)
    assert _without_times(json.loads(out)) == _without_times(first)


def test_archive_reads_back_with_warcio_and_its_index_and_check_commands(tmp_path: Path) -> None:
    warc = tmp_path / "pages.warc.gz"
    body = page("The rocket reached orbit in 2019.")
    pages = [
        Fetched(
            SourceRef("https://example.org/a"),
            body,
            "text/html",
            "utf-8",
            "https://example.org/a",
            200,
            "2024-05-01T10:00:00+00:00",
            hashlib.sha256(body).hexdigest(),
        ),
        Fetched(
            SourceRef("https://example.org/old"),
            b"plain words",
            "text/plain",
            "",
            "https://example.org/new",
            200,
            "2024-05-02T11:30:00+02:00",
            "",
        ),
    ]
    with ArchiveWriter(warc, 5 * 1024 * 1024) as writer:
        records = [writer.add(p) for p in pages]
    read = _records(warc)
    assert [kind for kind, _, _ in read] == ["warcinfo", "response", "request", "response", "request"]
    for kind, headers, payload in read:
        assert headers["WARC-Type"] == kind
        if kind == "response":
            assert headers["WARC-Payload-Digest"] == _sha1_base32(payload)  # the digest matches the bytes
    _, first, payload = read[1]
    assert payload == body and first["WARC-Target-URI"] == "https://example.org/a"
    assert first["WARC-Date"] == "2024-05-01T10:00:00Z" and records[0].captured == "2024-05-01T10:00:00Z"
    assert read[2][1]["WARC-Concurrent-To"] == first["WARC-Record-ID"]
    redirected = read[3][1]
    assert redirected["WARC-Target-URI"] == "https://example.org/new"
    assert redirected["Verify-Source-URI"] == "https://example.org/old"
    assert redirected["WARC-Date"] == "2024-05-02T09:30:00Z"
    with open(warc, "rb") as stream:
        assert next(iter(ArchiveIterator(stream))).rec_headers.protocol == "WARC/1.1"

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        warcio_main(["index", "-f", "warc-type,warc-target-uri,warc-payload-digest", str(warc)])
    index = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert [(i["warc-type"], i.get("warc-target-uri")) for i in index] == [
        ("warcinfo", None),
        ("response", "https://example.org/a"),
        ("request", "https://example.org/a"),
        ("response", "https://example.org/new"),
        ("request", "https://example.org/new"),
    ]
    assert index[1]["warc-payload-digest"] == _sha1_base32(body)
    with pytest.raises(SystemExit) as checked, redirect_stdout(io.StringIO()):
        warcio_main(["check", str(warc)])  # every block and payload digest verified by warcio
    assert checked.value.code == 0

    # replay finds a page by the URL the article named or where it was read
    replay = Replay(warc, 1024 * 1024)
    again = replay.get(SourceRef("https://example.org/old"))
    assert isinstance(again, Fetched) and again.body == b"plain words" and again.content_type == "text/plain"
    assert again.final_url == "https://example.org/new" and again.fetched_at == "2024-05-02T09:30:00+00:00"
    missing = replay.get(SourceRef("https://example.org/elsewhere"))
    assert isinstance(missing, Skipped) and "not in the archive pages.warc.gz" in missing.reason


def test_live_pages_archived_then_replayed_without_the_network(server: Server, tmp_path: Path) -> None:
    url = server.add("/cargo.html", Reply(body=page("SpaceX flew 12 cargo missions.", title="Cargo")))
    warc = tmp_path / "live.warc.gz"
    settings = Settings(allow_private=True, archive=warc)
    ref, gone = SourceRef(url), SourceRef(server.url("/missing"))
    live = fetch_pages([ref, gone], settings, store=None)
    assert isinstance(live[0], Fetched) and live[0].archive is not None
    assert isinstance(live[1], Skipped)  # a 404: nothing archived
    hits = dict(server.hits)

    replayed = fetch_pages([ref, gone], Settings(replay=warc), store=None)
    assert server.hits == hits  # not one request
    assert isinstance(replayed[0], Fetched) and replayed[0].body == live[0].body
    assert replayed[0].archive is not None and replayed[0].archive.digest == live[0].archive.digest
    assert isinstance(replayed[1], Skipped) and "not in the archive" in replayed[1].reason


def test_cached_pages_are_archived_too(tmp_path: Path) -> None:
    from verify.store import CachedPage, Store

    store = Store(tmp_path / "cache.db")
    body = page("Cached words about rockets.")
    store.put_page(
        CachedPage(
            url="https://example.org/cached",
            final_url="https://example.org/cached",
            status=200,
            content_type="text/html",
            encoding="utf-8",
            etag="",
            last_modified="",
            fetched_at="2024-01-01T00:00:00+00:00",
            content_hash=hashlib.sha256(body).hexdigest(),  # a row whose hash fails is not read
            body=body,
        )
    )
    warc = tmp_path / "c.warc.gz"
    [got] = fetch_pages(
        [SourceRef("https://example.org/cached")], Settings(offline=True, archive=warc), store
    )
    store.close()
    assert isinstance(got, Fetched) and got.from_cache
    [(_, headers, payload)] = [r for r in _records(warc) if r[0] == "response"]
    assert payload == body and headers["WARC-Date"] == "2024-01-01T00:00:00Z"


def test_archive_is_bounded_per_page_and_written_in_flat_memory(tmp_path: Path) -> None:
    warc = tmp_path / "big.warc.gz"
    limit = 4096
    over = Fetched(SourceRef("https://example.org/huge"), b"<p>" + b"x" * 20_000, "text/html")
    with ArchiveWriter(warc, limit) as writer:
        writer.add(over)
    [(_, headers, payload)] = [r for r in _records(warc) if r[0] == "response"]
    assert len(payload) == limit and headers["WARC-Truncated"] == "length"

    body = os.urandom(6000).hex().encode()  # 12 KB a page that does not compress away
    count = 10_000

    def pages() -> object:
        for n in range(count):
            yield Fetched(SourceRef(f"https://example.org/{n}"), body, "text/plain", fetched_at="2024-01-01")

    tracemalloc.start()
    with ArchiveWriter(tmp_path / "many.warc.gz", 1024 * 1024) as writer:
        for _ in writer.add_all(pages()):  # type: ignore[arg-type]
            pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count * len(body) > 100 * 1024 * 1024
    assert peak < 12 * 1024 * 1024  # 120 MB of pages went through; what stays is the URI index


def test_an_interrupted_archive_leaves_no_file_under_its_name(tmp_path: Path) -> None:
    warc = tmp_path / "cut.warc.gz"
    with pytest.raises(KeyboardInterrupt), ArchiveWriter(warc, 1024) as writer:
        writer.add(Fetched(SourceRef("https://example.org/a"), b"<p>a</p>", "text/html"))
        raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_replay_of_a_file_that_is_not_an_archive_is_one_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"this is not a WARC file\n" * 10)
    with pytest.raises(UsageError, match="not a readable WARC file"):
        Replay(bad, 1024)
    code, _, err = run_cli(
        [str(ARTICLE), "--replay", str(tmp_path / "none.warc.gz"), "-q"], monkeypatch, capsys
    )
    assert code == 2 and err.startswith("verify: error: --replay") and "Traceback" not in err
    code, _, err = run_cli(
        [str(ARTICLE), "--archive", str(tmp_path / "x.warc.gz"), "--format", "jsonl"], monkeypatch, capsys
    )
    assert code == 2 and "--archive writes one file per run" in err


def test_archive_setting_from_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(FIXTURES, tmp_path / "site")
    (tmp_path / "site" / "verify.toml").write_text('archive = "kept.warc.gz"\noffline = true\n')
    monkeypatch.chdir(tmp_path / "site")
    code, _, err = run_cli([ARTICLE.name, "-q"], monkeypatch, capsys)
    assert code in (0, 1), err
    kept = tmp_path / "site" / "kept.warc.gz"
    assert {h["WARC-Target-URI"] for k, h, _ in _records(kept) if k == "response"} == FIXTURE_URLS


def test_verify_archive_turns_a_corpus_into_an_archive_that_replays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "articles").mkdir(parents=True)
    (corpus / "pages").mkdir()
    for n in range(3):
        (corpus / "pages" / f"p{n}.html").write_bytes(page(f"Page {n} says the launch happened in 201{n}."))
        (corpus / "articles" / f"a{n}.md").write_text(
            f'---\ntitle: "A{n}"\nsources:\n  - url: https://corpus.example.org/p{n}\n'
            f"    file: ../pages/p{n}.html\n---\n\nThe launch happened in 201{n}.\n"
        )
    warc = tmp_path / "corpus.warc.gz"
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(["archive", str(corpus), "-o", str(warc), "--offline"], monkeypatch, capsys)
    assert code == 0, err
    assert "archived 3 source(s)" in err
    uris = {h["WARC-Target-URI"] for k, h, _ in _records(warc) if k == "response"}
    assert uris == {f"https://corpus.example.org/p{n}" for n in range(3)}

    shutil.rmtree(corpus / "pages")
    code, out, err = run_cli(
        [str(corpus / "articles"), "--replay", str(warc), "--format", "json", "-q"], monkeypatch, capsys
    )
    report = json.loads(out)
    assert all(s["status"] == "used" for a in report["articles"] for s in a["sources"])
    assert {c["verdict"] for a in report["articles"] for c in a["claims"]} == {"supported"}


def test_html_report_names_the_record_and_shows_the_archived_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    warc = tmp_path / "a.warc.gz"
    run_cli([str(ARTICLE), "--offline", "--archive", str(warc), "-q"], monkeypatch, capsys)
    out = tmp_path / "report.html"
    code, _, err = run_cli(
        [str(ARTICLE), "--replay", str(warc), "--format", "html", "-o", str(out), "-q"], monkeypatch, capsys
    )
    assert code in (0, 1), err
    html = "".join(p.read_text() for p in tmp_path.glob("*.html"))
    digests = {h["WARC-Payload-Digest"] for k, h, _ in _records(warc) if k == "response"}
    assert all(d in html for d in digests)
    assert html.count('<details class="warc-record') == 3
    assert "Replayed from a.warc.gz" in html
    assert "privately developed rockets" in html.split('<pre class="archived-text">', 1)[1]


def test_a_replayed_hostile_page_is_refused_like_a_fetched_one(tmp_path: Path) -> None:
    warc = tmp_path / "h.warc.gz"
    hostile = b'<html><head><meta charset="rot13"></head><body><p>x</p></body></html>'
    with ArchiveWriter(warc, 1024 * 1024) as writer:
        writer.add(Fetched(SourceRef("https://example.org/h"), hostile, "text/html"))
        writer.add(Fetched(SourceRef("https://example.org/pdf"), b"%PDF-1.4", "application/pdf"))
    replay = Replay(warc, 1024 * 1024)
    refused = replay.get(SourceRef("https://example.org/h"))
    assert isinstance(refused, Skipped) and "not a text encoding" in refused.reason
    pdf = replay.get(SourceRef("https://example.org/pdf"))
    assert isinstance(pdf, Skipped) and "application/pdf" in pdf.reason
    assert replace(Settings(), replay=warc).replay == warc


def test_an_archive_run_never_takes_a_stored_result_that_would_skip_its_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [str(ARTICLE), "--offline", "--format", "json", "-q"]
    code, out, err = run_cli(args, monkeypatch, capsys)
    assert code in (0, 1), err
    code, out, err = run_cli(args, monkeypatch, capsys)
    assert json.loads(out)["cache"]["articles_from_cache"] == 1  # the check is stored
    warc = tmp_path / "later.warc.gz"
    code, out, err = run_cli([*args, "--archive", str(warc)], monkeypatch, capsys)
    assert json.loads(out)["cache"] == {"enabled": False, "articles_from_cache": 0, "articles_checked": 1}
    assert {h["WARC-Target-URI"] for k, h, _ in _records(warc) if k == "response"} == FIXTURE_URLS
