"""Archive runs in batches: in this process, or on a Dask cluster (`--workers N`, `--cluster ADDRESS`).

Both paths split the articles into batches and check each batch with `pipeline.run`, so a
batch gives the same reports wherever it runs. On Dask, a worker plugin gives every worker
process its own database connection and one loaded embedding model, opened after the worker
started (never inherited through a fork); each batch is one task, re-run elsewhere when its
worker dies. The coordinator keeps a bounded window of batches in flight and hands results on
in input order, so its memory does not grow with the archive. Workers share the cache
database: pages and finished checks are upserted, and a text is embedded by whichever worker
claims it first (the others wait for its vector). `distributed` is imported only here.
"""

from __future__ import annotations

import gc
import itertools
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import numpy as np

from . import __version__
from .config import GC_THRESHOLDS, Settings
from .embed import CachedEmbedder, Embedder, make_embedder, text_hash
from .entail import share_cores
from .models import ArticleReport, Report
from .paths import default_db_path
from .pipeline import run
from .resultcache import ResultCache
from .selection import ArticleInput
from .store import Store

if TYPE_CHECKING:
    from distributed import Client

BATCH_SIZE = (
    8  # articles per task: small enough to balance two workers, large enough to share embedding calls
)
IN_FLIGHT_PER_WORKER = 3  # batches queued per worker: keeps workers busy, bounds the coordinator's memory
CLAIM_SLICE = 64  # texts claimed (and embedded) at a time: two model batches
CONNECT_TIMEOUT = 10.0  # seconds to connect to a --cluster scheduler and read its handshake
CLAIM_STALE_AFTER = 120.0  # seconds after which a text claimed by a (dead) worker is embedded by another
EmbedderFactory = Callable[[Settings], Embedder]


@dataclass
class BatchResult:
    """What a batch sends back to the coordinator: reports in input order and cache counts."""

    index: int
    reports: list[ArticleReport]
    errors: list[str]
    hits: list[str]
    misses: list[str]
    model: str
    embedded: int  # texts this batch sent to the model (not found in the shared cache)
    seconds: float = 0.0  # the batch's wall time where it ran
    model_seconds: float = 0.0  # of which in the embedding model
    waited_seconds: float = 0.0  # of which waiting for texts other workers were embedding
    worker: str = ""


@dataclass
class RunTotals:
    """Counts over a whole run, for the report's cache block and for benchmarks."""

    articles: int = 0
    hits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    embedded: int = 0
    model: str = ""


def batches(inputs: Sequence[ArticleInput], size: int | None = None) -> Iterator[list[ArticleInput]]:
    size = size or BATCH_SIZE
    for start in range(0, len(inputs), size):
        yield list(inputs[start : start + size])


# --- one batch, wherever it runs --------------------------------------------------------------


class Checker:
    """The per-process state that checks batches: one store, one model, one claim owner."""

    def __init__(
        self,
        settings: Settings,
        factory: EmbedderFactory | None = None,
        threads: int | None = None,
        stale_after: float | None = None,
    ) -> None:
        """`stale_after` set: share the work of embedding with other processes through claims."""
        self.settings = settings
        self.store = Store(settings.db or default_db_path(), timeout=settings.db_timeout)
        inner = factory(settings) if factory is not None else default_embedder(settings)
        if threads and getattr(inner, "threads", 0) is None:
            inner.threads = threads  # type: ignore[attr-defined]  # ONNX: one share of the cores each
        if threads:
            share_cores(threads)  # and the same share for the entailment model and the verifier
        self.model = _Timed(inner)
        owner = f"{os.uname().nodename}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.embedder: CachedEmbedder = (
            SharedEmbedder(self.model, self.store, owner, stale_after)
            if stale_after is not None
            else CachedEmbedder(self.model, self.store)
        )

    def warm(self) -> None:
        self.embedder.warm()

    def check(self, index: int, items: Sequence[ArticleInput]) -> BatchResult:
        results = (
            ResultCache(self.store, self.settings, self.embedder.name) if self.settings.result_cache else None
        )
        before, model_before, started = self.embedder.computed, self.model.seconds, time.perf_counter()
        waited_before = getattr(self.embedder, "waited", 0.0)
        report = run(items, self.settings, store=self.store, embedder=self.embedder, results=results)
        self.embedder.forget()
        return BatchResult(
            index=index,
            reports=list(report.articles),
            errors=list(report.errors),
            hits=list(results.hits) if results else [],
            misses=list(results.misses) if results else [a.article.path for a in report.articles],
            model=report.model,
            embedded=self.embedder.computed - before,
            seconds=time.perf_counter() - started,
            model_seconds=self.model.seconds - model_before,
            waited_seconds=getattr(self.embedder, "waited", 0.0) - waited_before,
        )

    def close(self) -> None:
        self.store.close()


def default_embedder(settings: Settings) -> Embedder:
    return make_embedder(settings.model, settings.backend)


class _Timed:
    """Passes texts to the model and adds up the seconds spent there (for benchmarks/scale.py)."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.seconds = 0.0

    def warm(self) -> None:
        warm = getattr(self.inner, "warm", None)
        if warm is not None:
            warm()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        started = time.perf_counter()
        try:
            return self.inner.encode(texts)
        finally:
            self.seconds += time.perf_counter() - started


class SharedEmbedder(CachedEmbedder):
    """A CachedEmbedder for concurrent workers: a text missing from the cache is embedded by one of them.

    The missing texts are claimed in the store a slice at a time and embedded (writing a vector
    releases its claim), so two workers that need the same texts share them out slice by slice
    instead of one waiting for the other; then this worker waits for the vectors of the texts
    others claimed, taking over claims older than `stale_after` seconds (their worker died).
    """

    def __init__(self, inner: Embedder, store: Store, owner: str, stale_after: float = CLAIM_STALE_AFTER):
        super().__init__(inner, store)
        self.owner = owner
        self.stale_after = stale_after
        self.waited = 0.0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        assert self.store is not None
        by_hash = {text_hash(t): t for t in texts}
        wanted = [h for h in by_hash if h not in self._memory]
        found = self._load(wanted)
        wanted = [h for h in wanted if h not in found]
        pause = 0.05
        while wanted:
            elsewhere: list[str] = []
            for start in range(0, len(wanted), CLAIM_SLICE):
                part = wanted[start : start + CLAIM_SLICE]
                mine = self.store.claim_embeddings(self.name, part, self.owner, self.stale_after)
                # a text another worker wrote since `wanted` was read is claimable again: its vector is there
                written = self._load(sorted(mine)) if mine else set()
                if written:  # claimed after its vector was written: nothing to embed, let the claim go
                    self.store.release_claims(self.name, sorted(written), self.owner)
                fresh = mine - written
                if fresh:
                    self.embed_missing({h: by_hash[h] for h in part if h in fresh})
                elsewhere += [h for h in part if h not in mine]
            found = self._load(elsewhere)
            wanted = [h for h in elsewhere if h not in found]
            if wanted:  # other workers are embedding these right now
                time.sleep(pause)
                self.waited += pause
                pause = min(pause * 2, 1.0)
        return super().encode(texts)


# --- serial: batches in this process ----------------------------------------------------------


def serial_batches(
    inputs: Sequence[ArticleInput], settings: Settings, factory: EmbedderFactory | None = None
) -> Iterator[BatchResult]:
    checker = Checker(settings, factory)
    try:
        for index, items in enumerate(batches(inputs)):
            yield checker.check(index, items)
    finally:
        checker.close()


# --- Dask -------------------------------------------------------------------------------------

PLUGIN_NAME = "verify-checker"


def _plugin_class() -> type:
    from distributed import WorkerPlugin

    class CheckerPlugin(WorkerPlugin):
        """Opens the store and loads the model in each worker process, once, after it started."""

        name = PLUGIN_NAME

        def __init__(
            self, settings: Settings, factory: EmbedderFactory | None, threads: int | None, stale_after: float
        ) -> None:
            self.settings = settings
            self.factory = factory
            self.threads = threads
            self.stale_after = stale_after
            self.checker: Checker | None = None
            self.failure: Exception | None = None
            self.previous_gc: tuple[int, ...] = ()

        def setup(self, worker: Any) -> None:
            # the CLI's collector thresholds while verify's plugin is on the worker; given back on teardown
            self.previous_gc = gc.get_threshold()
            gc.set_threshold(*GC_THRESHOLDS)
            # a failure (the database down) is raised by this worker's tasks, so the coordinator
            # ends the run with its one-line message; raised here, every worker logs a traceback
            try:
                self.checker = Checker(self.settings, self.factory, self.threads, self.stale_after)
                self.checker.warm()
            except Exception as exc:
                self.failure = exc

        def teardown(self, worker: Any) -> None:
            if self.previous_gc:
                gc.set_threshold(*self.previous_gc)
            if self.checker is not None:
                self.checker.close()

    return CheckerPlugin


def check_batch(index: int, items: list[ArticleInput]) -> BatchResult:
    """The Dask task: check one batch with this worker's Checker."""
    from distributed import get_worker

    worker = get_worker()
    plugin: Any = worker.plugins[PLUGIN_NAME]
    if plugin.failure is not None:
        raise plugin.failure
    checker: Checker = plugin.checker
    result: BatchResult = checker.check(index, items)
    result.worker = worker.address
    return result


def start_client(settings: Settings, workers: int, cluster: str | None) -> Client:
    """A client of the cluster at `cluster`, or of a new LocalCluster of `workers` processes."""
    from distributed import Client, LocalCluster

    from .errors import UsageError

    # what goes wrong is reported by verify in one line (a lost batch, a failed task): the
    # scheduler's own ERROR lines ("marked as failed because 1 workers died") would repeat it
    logging.getLogger("distributed").setLevel(logging.CRITICAL)
    if cluster:
        problem = scheduler_problem(cluster, CONNECT_TIMEOUT)
        if problem is None:
            try:
                return Client(cluster, timeout=CONNECT_TIMEOUT)
            except Exception as exc:  # whatever the far end did: one line, never a traceback
                problem = _first_line(exc)
        raise UsageError(f"cannot use the Dask scheduler at {cluster[:200]!r}: {problem}")
    import dask

    # the workers' sampling profiler takes the GIL every 10 ms from the Python-heavy checking thread
    dask.config.set({"distributed.worker.profile.enabled": False})
    local = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.CRITICAL,  # failures reach the coordinator as task errors: one line there
    )
    return Client(local)


def scheduler_problem(address: str, seconds: float) -> str | None:
    """Why `address` is not a Dask scheduler we can talk to, or None: the address is parsed, and a
    connection opened and its handshake read within `seconds`.

    distributed waits for the handshake without a limit (a server that accepts and never answers
    hangs the client), and reads a frame length from whatever answers (an HTTP server's bytes made
    it allocate exabytes): both are tried here first, on a connection of our own.
    """
    import asyncio

    from distributed.comm import connect, parse_address, parse_host_port
    from distributed.security import Security

    try:
        scheme, location = parse_address(address)
        if scheme in ("tcp", "tls"):
            parse_host_port(location)
    except (ValueError, TypeError) as exc:
        return f"not a scheduler address ({_first_line(exc)}); expected tcp://HOST:PORT"

    async def handshake() -> None:
        # TLS settings from the dask config, as the client itself would use them
        comm = await connect(address, timeout=seconds, **Security().get_connection_args("client"))
        await comm.close()

    try:
        asyncio.run(asyncio.wait_for(handshake(), seconds))
    except TimeoutError:
        return f"no answer within {seconds:g} s"
    except OSError as exc:
        return _first_line(exc)
    except Exception as exc:  # MemoryError from a frame length of exabytes: not the Dask protocol
        return f"it does not answer as a Dask scheduler ({type(exc).__name__})"
    return None


def _first_line(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0][:200]


def dask_batches(
    inputs: Sequence[ArticleInput],
    settings: Settings,
    client: Client,
    factory: EmbedderFactory | None = None,
    threads: int | None = None,
) -> Iterator[BatchResult]:
    """Batch results in input order; a bounded number of batches is in flight at any time."""
    from distributed import KilledWorker, as_completed

    plugin = _plugin_class()(settings, factory, threads, CLAIM_STALE_AFTER)
    client.register_plugin(plugin, name=PLUGIN_NAME)
    run_id = uuid.uuid4().hex[:8]
    workers = max(1, len(client.scheduler_info().get("workers", {})))
    window = max(2, IN_FLIGHT_PER_WORKER * workers)
    # at least four batches per worker, so a small archive still keeps every worker busy
    size = max(1, min(BATCH_SIZE, -(-len(inputs) // (4 * workers))))
    pending = enumerate(batches(inputs, size))

    in_flight: dict[str, tuple[int, list[ArticleInput]]] = {}

    def submit(index: int, items: list[ArticleInput]) -> Any:
        key = f"verify-{run_id}-{index}"
        in_flight[key] = (index, items)
        return client.submit(check_batch, index, items, key=key, retries=2, pure=False)

    futures = as_completed([submit(i, b) for i, b in itertools.islice(pending, window)])
    ready: dict[int, BatchResult] = {}
    next_index = 0
    for future in futures:
        index, items = in_flight.pop(future.key)
        try:
            result: BatchResult = future.result()
        except KilledWorker as exc:  # the scheduler gave up on it: its articles only, not the run
            result = lost_batch(index, items, exc)
        future.release()
        ready[result.index] = result
        while next_index in ready:
            yield ready.pop(next_index)
            next_index += 1
        # results held back behind a slow earlier batch count against the window too (bounded memory)
        room = min(window - futures.count(), window - len(ready))
        for index, items in itertools.islice(pending, max(room, 0)):
            futures.add(submit(index, items))


def lost_batch(index: int, items: Sequence[ArticleInput], exc: Exception) -> BatchResult:
    """A batch whose worker processes kept dying: its articles are reported as not checked."""
    reason = f"the worker process checking it died, as often as the cluster allows ({type(exc).__name__})"
    errors = [f"{item.display}: not checked: {reason}" for item in items]
    return BatchResult(index=index, reports=[], errors=errors, hits=[], misses=[], model="", embedded=0)


# --- the coordinator --------------------------------------------------------------------------


def iter_results(
    inputs: Sequence[ArticleInput],
    settings: Settings,
    *,
    workers: int = 0,
    cluster: str | None = None,
    factory: EmbedderFactory | None = None,
    quiet: bool = True,
) -> Iterator[BatchResult]:
    """Every batch's result in input order: serially, or on Dask when `workers` or `cluster` is set."""
    Store(settings.db or default_db_path(), timeout=settings.db_timeout).close()  # schema check, once
    progress = ArchiveProgress(len(inputs), show=not quiet and _interactive())
    try:
        if not workers and not cluster:
            source: Iterable[BatchResult] = serial_batches(inputs, settings, factory)
            for result in source:
                progress.advance(len(result.reports) + len(result.errors))
                yield result
            return
        client = start_client(settings, workers, cluster)
        try:
            threads = max(1, (os.cpu_count() or 1) // workers) if workers and not cluster else None
            for result in dask_batches(inputs, settings, client, factory, threads):
                progress.advance(len(result.reports) + len(result.errors))
                yield result
        finally:
            _close(client)
    finally:
        progress.close()


def _close(client: Client) -> None:
    cluster = client.cluster
    client.close()
    if cluster is not None:
        cluster.close()


def run_archive(
    inputs: Sequence[ArticleInput],
    settings: Settings,
    *,
    factory: EmbedderFactory | None = None,
    quiet: bool = True,
) -> tuple[Report, ResultCache | None]:
    """The whole report of a batch run (for the whole-report formats), like a serial run's."""
    results = iter_results(
        inputs, settings, workers=settings.workers, cluster=settings.cluster, factory=factory, quiet=quiet
    )
    reports, errors, totals = collect(results)
    report = Report(
        articles=tuple(reports),
        model=totals.model,
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        version=__version__,
        errors=tuple(errors),
    )
    if not settings.result_cache:
        return report, None
    tally = ResultCache(None, settings, totals.model)
    tally.hits, tally.misses = totals.hits, totals.misses
    return report, tally


def collect(results: Iterable[BatchResult]) -> tuple[list[ArticleReport], list[str], RunTotals]:
    """All reports and errors of a run, in input order (for the whole-report formats)."""
    reports: list[ArticleReport] = []
    errors: list[str] = []
    totals = RunTotals()
    for result in results:
        reports += result.reports
        errors += result.errors
        add(totals, result)
    return reports, errors, totals


def add(totals: RunTotals, result: BatchResult) -> None:
    totals.articles += len(result.reports)
    totals.hits += result.hits
    totals.misses += result.misses
    totals.embedded += result.embedded
    totals.model = totals.model or result.model


class ArchiveProgress:
    """`articles 120/2000  14.2/s  ETA 2m12s` on stderr, redrawn in place at a terminal."""

    def __init__(self, total: int, show: bool) -> None:
        self.total = total
        self.show = show
        self.done = 0
        self.started = time.monotonic()

    def advance(self, count: int) -> None:
        self.done += count
        if self.show:
            sys.stderr.write("\r" + progress_line(self.done, self.total, time.monotonic() - self.started))
            sys.stderr.flush()

    def close(self) -> None:
        if self.show and self.done:
            sys.stderr.write("\n")


def progress_line(done: int, total: int, seconds: float) -> str:
    rate = done / seconds if seconds > 0 else 0.0
    eta = (
        f"ETA {_duration((total - done) / rate)}"
        if rate > 0 and done < total
        else "done"
        if done
        else "ETA ?"
    )
    return f"articles {done}/{total}  {rate:.1f}/s  {eta}"


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s" if minutes else f"{secs}s"


def _interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")
