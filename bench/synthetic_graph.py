"""Synthetic animekg graphs of a given size, made by the project's own code and cached.

    .venv/bin/python bench/synthetic_graph.py --triples 1000000 [--seed 7]

The documents of ``synthetic.extractions(seed)`` go through ``GraphStore.add_extraction``
(names resolved across documents, one named graph per document, credits with their
evidence) until the store holds at least the asked number of quads; then
``materialize_inferred`` adds the rules' facts. The result is written as N-Quads under
``bench/.cache/`` (or ``$ANIMEKG_BENCH_CACHE``), keyed by size, seed and a hash of the
code that shapes the graph, so a benchmark makes a 1M-triple graph once and later runs
read it back. Ingest times are fixed (``SOURCE_DATE_EPOCH``), so the file is the same
on every machine for the same code.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import extractions  # noqa: E402

from animekg.graph.store import GraphStore  # noqa: E402

BENCH = Path(__file__).resolve().parent
DEFAULT_CACHE = BENCH / ".cache"
FIXED_EPOCH = "1700000000"  # 2023-11-14: any fixed time makes the file reproducible

# The code whose changes change the graph: a cached file made by older code is stale.
SHAPING_MODULES = ["animekg.graph.triples", "animekg.graph.store", "animekg.normalize", "animekg.ontology"]


@dataclass(frozen=True)
class SyntheticGraph:
    path: Path
    triples: int
    documents: int
    seed: int
    seconds: float  # to generate it (when it was generated)
    cached: bool = False  # read back from the cache in this run


def cache_dir(override: str | Path | None = None) -> Path:
    return Path(override or os.environ.get("ANIMEKG_BENCH_CACHE") or DEFAULT_CACHE)


def code_key() -> str:
    """A hash of the generator, of the project code that turns records into quads and
    of the ontology's rules, and of the pyoxigraph version."""
    digest = hashlib.sha256(ox.__version__.encode())
    files = [BENCH / "synthetic.py", Path(__file__).resolve()]
    for name in SHAPING_MODULES:
        files.append(Path(importlib.import_module(name).__file__))
    rules = Path(importlib.import_module("animekg.ontology").__file__).parent / "rules"
    files += sorted(rules.glob("*.rq"))
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()[:12]


def generate(triples: int, seed: int, out: Path) -> SyntheticGraph:
    """Write a graph of at least ``triples`` quads (before the inferred ones) to ``out``."""
    previous_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = FIXED_EPOCH
    start = time.perf_counter()
    try:
        store = GraphStore.in_memory()
        documents, size, next_count = 0, 0, 1
        for extraction in extractions(seed):
            store.add_extraction(extraction)
            documents += 1
            if documents % 1000 == 0:
                print(f"  {documents:,} documents, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
            # Counting the quads costs as much as reading them all (seconds at 10M): count
            # rarely, more often as the size nears the target.
            if documents == next_count:
                size = len(store.backend)
                if size >= triples:
                    break
                per_document = size / documents
                next_count = documents + max(1, int((triples - size) / per_document * 0.8))
        store.materialize_inferred()
        size = len(store.backend)
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_suffix(".partial")
        store.backend.dump(str(partial), format=ox.RdfFormat.N_QUADS)
        partial.replace(out)  # a run stopped half-way leaves no file that looks complete
    finally:
        if previous_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous_epoch
    return SyntheticGraph(out, size, documents, seed, round(time.perf_counter() - start, 2))


def synthetic_graph(triples: int, seed: int = 7, cache: str | Path | None = None) -> SyntheticGraph:
    """The N-Quads file of a graph of about ``triples`` quads, from the cache or made now."""
    folder = cache_dir(cache)
    stem = f"graph-{triples}-seed{seed}"
    path = folder / f"{stem}-{code_key()}.nq"
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        data = json.loads(meta.read_text(encoding="utf-8"))
        return SyntheticGraph(path, data["triples"], data["documents"], seed, data["seconds"], cached=True)
    for stale in folder.glob(f"{stem}-*"):  # made by older code: a 1M-triple file is 250 MB
        stale.unlink()
    graph = generate(triples, seed, path)
    record = {k: v for k, v in asdict(graph).items() if k not in ("path", "cached")}
    meta.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return graph


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--triples", type=int, default=100_000, help="at least this many quads (default 100,000)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cache-dir", help=f"where the files go (default {DEFAULT_CACHE} or $ANIMEKG_BENCH_CACHE)")
    args = ap.parse_args(argv)
    graph = synthetic_graph(args.triples, args.seed, args.cache_dir)
    print(json.dumps({**asdict(graph), "path": str(graph.path)}, indent=2))


if __name__ == "__main__":
    main()
