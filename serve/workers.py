"""A small pool of worker processes that run queries under a time limit.

Oxigraph cannot cancel a query, so a query that must be stopped runs in a process that
can be: each worker opens the store for itself and runs one job at a time; when a job
outlives the time limit, the pool kills its worker and starts a fresh one in the
background. A worker that dies on its own is replaced the same way.

Oxigraph lets many processes open a store folder read-only, but only one open it for
writing; so a read-only endpoint has several read-only workers, and one that takes
updates has a single writable worker for queries and updates alike.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from .config import ServeError
from .jobs import MEMORY_REFUSAL, Job, Reply

log = logging.getLogger("animekg.serve")

# Opening a store and importing animekg takes a second or two; a slow disk, more.
START_SECONDS = 60.0
# What a request may wait for a free worker beyond the time limit: the time a killed
# worker's replacement needs to start.
REPLACEMENT_SECONDS = 10.0
# A replacement that fails to start is tried again after 1, 2, 4, ... seconds, at most this.
RETRY_SECONDS = 30.0


class PoolError(Exception):
    """A job got no reply; the message says why, for the client."""


class TimeLimitExceeded(PoolError):
    pass


class WorkersUnavailable(PoolError):
    pass


class MemoryLimitExceeded(PoolError):
    pass


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready: bool = False

    def exited(self) -> bool:
        # Not process.is_alive(): it reaps with waitpid, and when another thread's
        # Process.start() reaps the same child first, it answers True for a dead one.
        return bool(wait([self.process.sentinel], timeout=0))

    def exit_note(self) -> str:
        code = self.process.exitcode
        return f" (exit code {code})" if code is not None else ""


def _limit_memory(max_memory: int | None) -> None:
    """Cap this process's address space: the kernel refuses allocations past it, so one
    query cannot take the machine's memory (Python raises MemoryError, Oxigraph aborts)."""
    if max_memory is None:
        return
    try:
        import resource
    except ImportError:  # not on this platform: time and row limits still hold
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = max_memory if hard == resource.RLIM_INFINITY else min(max_memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker_main(conn: Connection, store_spec: str, writable: bool, max_memory: int | None = None) -> None:
    """A worker's life: open the store, then answer jobs until told to stop (None) or
    until the server's end of the pipe closes."""
    # Ctrl+C reaches the whole process group; the server decides when workers stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _limit_memory(max_memory)
    from animekg import api
    from animekg.errors import AnimekgError

    from .jobs import execute

    try:
        store = api.open_store(store_spec, read_only=not writable)
    except AnimekgError as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        conn.send(execute(store, job))


class WorkerPool:
    def __init__(self, store_spec: str, *, writable: bool, size: int, timeout: float,
                 max_memory: int | None = None):
        self.store_spec = store_spec
        self.max_memory = max_memory
        self.writable = writable
        self.size = size
        self.timeout = timeout
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._workers: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._last_failure = ""

    def start(self) -> None:
        """Start every worker; ServeError if one cannot open the store."""
        starting = [self._spawn() for _ in range(self.size)]
        try:
            for worker in starting:
                self._await_ready(worker)
                self._idle.put(worker)
        except ServeError:
            self.close()
            raise

    def pids(self) -> list[int]:
        """The process ids of the workers that are ready (idle or busy), not starting."""
        with self._lock:
            return sorted(w.process.pid for w in self._workers if w.ready)

    def run(self, job: Job) -> Reply:
        """The worker's reply to the job, or PoolError when there is none in time."""
        deadline = time.monotonic() + self.timeout + REPLACEMENT_SECONDS
        while True:
            worker = self._take(deadline)
            try:
                worker.conn.send(job)
                break
            except OSError:
                # It died before it got the job (its end of the pipe is closed), so
                # another worker can run it, even an update.
                self._replace(worker)
        try:
            if not worker.conn.poll(self.timeout):
                self._replace(worker)
                raise TimeLimitExceeded(
                    f"the query ran longer than the time limit of {self.timeout:g} s and was stopped; "
                    "narrow it (more specific patterns, a LIMIT) or start the server with a larger --timeout")
            reply = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1.0)
            aborted = worker.process.exitcode == -signal.SIGABRT
            self._replace(worker)
            if aborted and self.max_memory is not None:
                # Oxigraph aborts when the kernel refuses it memory past the limit.
                raise MemoryLimitExceeded(f"{MEMORY_REFUSAL} (the limit is {self.max_memory // 2**20} MiB "
                                          "of address space per query worker)") from None
            raise WorkersUnavailable(f"the query worker stopped unexpectedly{worker.exit_note()} and is "
                                     "being replaced; try again") from None
        if reply.retire_worker:
            self._replace(worker)
        else:
            self._idle.put(worker)
        return reply

    def close(self) -> None:
        """Stop every worker: idle ones are asked to, busy ones are killed."""
        with self._lock:
            self._closed = True
            workers = list(self._workers)
            self._workers.clear()
        idle = []
        while True:
            try:
                idle.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in idle:
            try:
                worker.conn.send(None)
            except OSError:
                pass
        for worker in workers:
            # A writable worker that stops by itself closes the store cleanly.
            worker.process.join(2.0 if worker in idle else 0)
            self._kill(worker)

    # -- workers ---------------------------------------------------------------------

    def _spawn(self) -> _Worker:
        ours, theirs = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(theirs, self.store_spec, self.writable, self.max_memory),
                                         name="animekg-serve-worker", daemon=True)
        process.start()
        theirs.close()
        worker = _Worker(process, ours)
        with self._lock:
            self._workers.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> None:
        status, message = "failed", f"a query worker did not start within {START_SECONDS:g} s"
        try:
            if worker.conn.poll(START_SECONDS):
                status, message = worker.conn.recv()
        except (EOFError, OSError):
            worker.process.join(1.0)
            message = f"a query worker exited while starting{worker.exit_note()}"
            if worker.process.exitcode == 1:
                # Spawned workers import the main module again: a script that starts a
                # server at top level starts one in each worker, which multiprocessing stops.
                message += ("; its error is above. A script that starts the server must do so "
                            "under `if __name__ == '__main__':`")
        if status != "ready":
            self._retire(worker)
            self._last_failure = message
            raise ServeError(f"cannot serve {self.store_spec}: {message}")
        worker.ready = True

    def _take(self, deadline: float) -> _Worker:
        while True:
            if self._closed:
                raise WorkersUnavailable("the server is stopping")
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                reason = f" (the last one to start failed: {self._last_failure})" if self._last_failure else ""
                raise WorkersUnavailable(f"all {self.size} query workers are busy or starting{reason}; "
                                         "try again in a moment") from None
            if not worker.exited():
                return worker
            self._replace(worker)
            log.warning("query worker %s died while idle%s; replacing it", worker.process.pid, worker.exit_note())

    def _replace(self, worker: _Worker) -> None:
        """Kill the worker and start its successor in the background, so that the request
        that lost it is answered now."""
        self._retire(worker)
        with self._lock:
            if self._closed:
                return
        threading.Thread(target=self._add_worker, name="animekg-serve-respawn", daemon=True).start()

    def _add_worker(self) -> None:
        """Start a worker, and keep trying: the store may be back in a moment."""
        delay = 1.0
        while True:
            with self._lock:
                if self._closed:
                    return
            worker = self._spawn()
            try:
                self._await_ready(worker)
                break
            except ServeError as exc:
                with self._lock:
                    if self._closed:
                        return
                log.error("%s; trying again in %g s", exc, delay)
                time.sleep(delay)
                delay = min(2 * delay, RETRY_SECONDS)
        with self._lock:
            closed = self._closed
        if closed:
            self._retire(worker)
        else:
            self._last_failure = ""
            self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._workers.discard(worker)
        self._kill(worker)

    @staticmethod
    def _kill(worker: _Worker) -> None:
        worker.process.kill()  # a no-op for a process already reaped
        worker.process.join(5.0)
        worker.conn.close()
