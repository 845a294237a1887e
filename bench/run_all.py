"""Every benchmark of animekg, one after the other, into one table.

    .venv/bin/python bench/run_all.py            # the full suite (make bench): about 40 minutes
    .venv/bin/python bench/run_all.py --quick    # small sizes, a few minutes: to check that it all runs

Each benchmark runs in a process of its own (so one's memory does not weigh on the next)
and writes ``<name>.json``; then ``README.md`` is written with the one table of all of
them, the machine and the notes, and printed. The full suite writes to
``bench/results/``, the quick one to ``bench/results/quick/`` (not kept in git), unless
``--out`` says otherwise. Run it on an idle machine: the figures move with the load.
"""

from __future__ import annotations

import argparse
import os
import shlex
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
from report import RESULTS, write_readme, write_result  # noqa: E402

# The arguments of each benchmark, full and quick.
FULL = {
    "extract": ["--mb", "1.0", "--single-doc-mb", "5"],
    "extract_scaling": [],  # 0.25 to 1 MB of unpunctuated names, one document of 1 to 20 MB
    "build": ["--documents", "250", "1000", "--end-to-end-mb", "0.1", "--big-build", "2500", "10000"],
    "query": ["--triples", "100000", "1000000"],
    "view": ["--entities", "1000", "5000"],
}
QUICK = {
    "extract": ["--mb", "0.05"],
    "extract_scaling": ["--quick"],
    "build": ["--documents", "50", "--end-to-end-mb", "0.02", "--big-build", "20"],
    "query": ["--triples", "5000", "20000", "--reps", "5", "--budget", "5", "--timeout", "10",
              "--rdflib-reps", "2", "--rdflib-budget", "5", "--rdflib-timeout", "10", "--rdflib-total-budget", "30"],
    "view": ["--entities", "1000"],
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes: a check that everything runs")
    ap.add_argument("--only", nargs="+", choices=list(FULL), help="run only these benchmarks")
    ap.add_argument("--out", help="where the results go (default bench/results, or bench/results/quick)")
    args = ap.parse_args(argv)
    out = Path(args.out) if args.out else RESULTS / "quick" if args.quick else RESULTS
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    started_at = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    load_at_start = [round(x, 2) for x in os.getloadavg()]
    failed = []
    for name in args.only or plan:
        command = [sys.executable, str(BENCH / f"bench_{name}.py"), *plan[name], "--out", str(out)]
        print(f"\n== {name}: {shlex.join(command[1:])}", flush=True)
        if subprocess.run(command, check=False).returncode != 0:
            failed.append(name)
    command = "make bench" if not args.quick and not args.only and not args.out else \
        shlex.join(["bench/run_all.py", *(argv if argv is not None else sys.argv[1:])])
    write_result(out, {"benchmark": "run_all", "command": command, "quick": args.quick,
                       "ran": args.only or list(plan), "failed": failed,
                       "load_average_at_start": load_at_start,
                       "started": started_at,
                       "seconds": round(time.perf_counter() - started, 1)})
    readme = write_readme(out)
    print("\n" + readme.read_text(encoding="utf-8"))
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
