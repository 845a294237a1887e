"""Timing and memory helpers shared by the benchmarks."""

from __future__ import annotations

import math
import resource
import signal
import statistics
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field


class TimeLimit(Exception):
    """A run went past its time limit and was stopped."""


@contextmanager
def time_limit(seconds: float | None):
    """Stop the code inside after ``seconds`` with TimeLimit.

    A SIGALRM handler raises between two Python bytecodes, so this stops pure-Python
    work (rdflib) promptly; native code (Oxigraph) is stopped only when it hands back
    to Python, e.g. between result rows. Main thread only.
    """
    if not seconds:
        yield
        return

    def stop(signum, frame):
        raise TimeLimit(f"stopped after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (with 20 values the 95th is the 19th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


@dataclass
class Latency:
    """Repeated runs of one thing: their times, and why there are fewer than asked."""

    seconds: list[float] = field(default_factory=list)
    rows: int | None = None
    cut: str = ""  # why there are fewer runs than asked, if there are
    stopped_after_s: float | None = None  # a run went past this limit and was stopped
    error: str | None = None  # a run failed with this error

    def summary(self) -> dict:
        ms = [s * 1000 for s in self.seconds]
        return {"runs": len(ms),
                "median_ms": round(statistics.median(ms), 2) if ms else None,
                "p95_ms": round(percentile(ms, 95), 2) if ms else None,
                "rows": self.rows, "cut": self.cut or None,
                "stopped_after_s": self.stopped_after_s, "error": self.error}


Run = Callable[[float | None], tuple[int, float]]  # (time limit) -> (result rows, seconds)


def in_process(rows_of: Callable[[], int]) -> Run:
    """A Run of a function that returns its number of result rows, timed here."""
    def run(timeout_s: float | None) -> tuple[int, float]:
        with time_limit(timeout_s):
            start = time.perf_counter()
            rows = rows_of()
            return rows, time.perf_counter() - start
    return run


def repeat(run: Run, reps: int, budget_s: float, timeout_s: float | None = None) -> Latency:
    """Time ``run`` up to ``reps`` times.

    A first run warms caches and is not counted, unless it took over a second: a slow
    query is not measurably faster the second time, and repeating it costs the budget.
    Runs stop once ``budget_s`` is spent (at least one is timed). A run that goes past
    ``timeout_s``, or fails, ends the series with the reason in ``cut``.
    """
    latency = Latency()
    spent = 0.0
    first = True
    while len(latency.seconds) < reps:
        try:
            rows, took = run(timeout_s)
        except TimeLimit:
            latency.stopped_after_s = timeout_s
            latency.cut = f"a run went past the time limit of {timeout_s:g} s and was stopped"
            return latency
        except Exception as exc:  # a store's own error (rdflib has a few): report, go on
            message = str(exc).splitlines()[0] if str(exc) else ""
            latency.error = f"{type(exc).__name__}: {message}"[:200]
            latency.cut = f"a run failed: {latency.error}"
            return latency
        spent += took
        latency.rows = rows
        if first and took < 1.0:
            first = False
            continue
        first = False
        latency.seconds.append(took)
        if spent >= budget_s and len(latency.seconds) < reps:
            latency.cut = f"{len(latency.seconds)} of {reps} runs: time budget of {budget_s:g} s spent"
            break
    return latency


def _status_mb(field: str, pid: int | str = "self") -> float:
    """A memory figure of /proc/PID/status (Linux), in MB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb() -> float:
    """The resident memory of this process now."""
    return _status_mb("VmRSS")


def vm_peak_mb(pid: int | str = "self") -> float:
    """The most resident memory a process has had since it started its program (VmHWM).
    Unlike getrusage's maximum, which a child forked from a big process starts with and
    keeps across exec, it is the program's own."""
    return _status_mb("VmHWM", pid)


def peak_rss_mb(children: bool = False) -> float:
    """The most resident memory this process (or its finished children) ever had."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024
