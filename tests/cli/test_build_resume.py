"""A big build is a job a person can leave running: a progress bar on a terminal, and a
build stopped at any point (a kill in the middle of a batch of documents, Ctrl-C)
keeps what it wrote and, run again, goes on with the rest: nothing lost, nothing done
twice. The CLI is run as a user runs it: a process, on a pseudo-terminal for the bar."""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_cli import EPOCH, animekg, ok

COMPOSERS = ["Mira Ostrander", "Jun Abeles", "Tova Rensk", "Ilse Marrow"]
SHOWS = ["Paper Comet", "Tide Clock", "Salt Road", "Glass Orchard"]


def write_texts(folder: Path, n: int) -> Path:
    """``n`` short reviews of invented shows, each a document of its own."""
    folder.mkdir()
    for i in range(n):
        composer, show = COMPOSERS[i % 4], f"{SHOWS[i % 4]} {i}"
        (folder / f"review-{i:03d}.txt").write_text(
            f"Review of {show}\n\nThe music of {show} was composed by {composer}. "
            f"Its opening theme, \"Lantern {i}\", is sung by Aya Tern.\n", encoding="utf-8")
    return folder


def build(texts: Path, store: Path, cwd: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    return animekg("build", texts, "--store", store, "--jobs", "2", "--model", "stock", cwd=cwd, fault=fault)


def export(store: Path, cwd: Path) -> list[str]:
    return sorted(ok(animekg("export", "--format", "nquads", "--store", store, cwd=cwd)).splitlines())


@pytest.fixture(scope="module")
def texts_and_clean_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("resume")
    texts = write_texts(root / "texts", 12)
    ok(build(texts, root / "clean", root))
    return root, texts, export(root / "clean", root)


def test_a_build_killed_in_the_middle_of_a_batch_goes_on_where_it_stopped(texts_and_clean_build, tmp_path):
    root, texts, clean = texts_and_clean_build
    store = tmp_path / "store"
    # Two processes extract chunks of four documents; the fifth document written is the
    # first of the second chunk, and the third chunk is being extracted meanwhile.
    killed = build(texts, store, tmp_path, fault="build:written-5")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    stats = ok(animekg("stats", "--store", store, cwd=tmp_path))
    assert stats.startswith("documents: 5\n")  # what was written is kept
    again = ok(build(texts, store, tmp_path))
    assert "documents: 12 in the store (7 added, 5 unchanged)" in again  # nothing done twice
    assert export(store, tmp_path) == clean  # nothing lost: what a build never stopped gives


def run_on_a_terminal(args: list[str], cwd: Path, interrupt_at: int | None = None) -> tuple[int, str]:
    """The CLI on a pseudo-terminal: its exit status and all it printed; with
    ``interrupt_at``, Ctrl-C (SIGINT) once the bar shows that many documents written."""
    main, secondary = pty.openpty()
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "COLUMNS": "160", "TERM": "xterm", "NO_COLOR": "1"}
    # Ctrl-C as on a terminal: a test run started in the background (nohup ... &) ignores
    # SIGINT, and a child would inherit that.
    process = subprocess.Popen([sys.executable, "-m", "animekg", *args], cwd=cwd, env=env,
                               stdin=secondary, stdout=secondary, stderr=secondary, close_fds=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    os.close(secondary)
    output, interrupted, deadline = b"", False, time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the other end closed: the process is done
                break
            if not chunk:
                break
            output += chunk
        if interrupt_at is not None and not interrupted:
            written = [int(n) for n in re.findall(rb"(\d+)/\d+(?:\x1b\[0m)? documents", output)]
            if written and max(written) >= interrupt_at:
                process.send_signal(signal.SIGINT)
                interrupted = True
        if process.poll() is not None and not ready:
            break
    status = process.wait(timeout=60)
    os.close(main)
    return status, re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", output.decode("utf-8", "replace"))  # no cursor moves


def test_the_bar_shows_documents_words_per_second_and_time_left(tmp_path):
    texts = write_texts(tmp_path / "texts", 8)
    status, output = run_on_a_terminal(["build", str(texts), "--store", str(tmp_path / "store"), "--model", "stock"],
                                       tmp_path)
    assert status == 0, output
    assert re.search(r"extracting .* \d+/8 documents, [\d,]+ words/s, (\d+:\d\d:\d\d|-:--:--) left", output), output
    assert "8/8 documents" in output
    assert "documents: 8 in the store (8 added, 0 unchanged)" in output


def test_ctrl_c_keeps_what_was_written_and_the_same_command_goes_on(tmp_path):
    texts = write_texts(tmp_path / "texts", 40)
    args = ["build", str(texts), "--store", str(tmp_path / "store"), "--model", "stock"]
    status, output = run_on_a_terminal(args, tmp_path, interrupt_at=3)
    assert status == 130, output
    stopped = re.search(r"stopped: (\d+) of 40 documents to extract were written and are kept; run the same "
                        r"command again", output)
    assert stopped, output
    written = int(stopped[1])
    assert 3 <= written < 40 and "Traceback" not in output
    stats = ok(animekg("stats", "--store", tmp_path / "store", cwd=tmp_path))
    assert stats.startswith(f"documents: {written}\n")
    status, output = run_on_a_terminal(args, tmp_path)
    assert status == 0, output
    assert f"({40 - written} added, {written} unchanged)" in output
    assert f"({written} unchanged: skipped)" in output  # the bar says so from the start
