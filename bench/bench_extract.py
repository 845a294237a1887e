"""Extraction speed against the bare spaCy pipeline, on the same texts in the same run.

    .venv/bin/python bench/bench_extract.py [--mb 1.0]

Prints words per second of the bare pipeline (every component of the model, nothing of
animekg's) and of animekg's extractor (its components plus reading mentions, names and
credits), their ratio (goal: >= 0.8), and the peak memory of extracting corpora of
growing size in fresh processes (goal: flat, as documents are streamed).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from synthetic import corpus  # noqa: E402


def words(texts: list[str]) -> int:
    return sum(len(t.split()) for t in texts)


def bare_rate(texts: list[str]) -> float:
    import spacy

    from animekg.extract.pipeline import DEFAULT_MODELS
    for name in DEFAULT_MODELS:
        try:
            nlp = spacy.load(name)
            break
        except OSError:
            continue
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=8):
        pass
    return words(texts) / (time.perf_counter() - start)


def extractor_rate(texts: list[str]) -> float:
    from animekg.extract.pipeline import Extractor
    from animekg.extract.records import Document

    extractor = Extractor()
    docs = (Document(f"d{i}", t, "<bench>", hashlib.sha256(t.encode()).hexdigest()) for i, t in enumerate(texts))
    start = time.perf_counter()
    for _ in extractor.extract_all(docs):
        pass
    return words(texts) / (time.perf_counter() - start)


def _peak_rss_mb(texts_expression: str) -> float:
    """Peak RSS of a fresh process that extracts the texts the expression makes."""
    code = ("import sys, resource; sys.path.insert(0, 'bench'); from synthetic import corpus; "
            f"from bench_extract import extractor_rate; extractor_rate({texts_expression}); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    return float(out.stdout.strip().splitlines()[-1])


def peak_memory_mb(mb: float) -> float:
    """Peak RSS of extracting a corpus of this size, document by document."""
    return _peak_rss_mb(f"list(corpus(int({mb} * 1_000_000)))")


def single_document_peak_mb(mb: float) -> float:
    """Peak RSS of extracting one document of this size."""
    return _peak_rss_mb(f"['\\n\\n'.join(corpus(int({mb} * 1_000_000)))]")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=1.0, help="corpus size in MB of text (default 1.0)")
    ap.add_argument("--memory", action="store_true", help="also measure peak memory at 0.25, 0.5 and 1x the size")
    ap.add_argument("--single-doc-mb", type=float, default=0,
                    help="also measure peak memory of extracting one document of this many MB")
    args = ap.parse_args()
    texts = list(corpus(int(args.mb * 1_000_000)))
    chars = sum(map(len, texts))
    # Warm both once so neither pays for first-use costs in its timing.
    bare_rate(texts[:20]), extractor_rate(texts[:20])
    bare = bare_rate(texts)
    ours = extractor_rate(texts)
    result = {"documents": len(texts), "characters": chars, "words": words(texts),
              "bare_words_per_s": round(bare), "extractor_words_per_s": round(ours),
              "ratio": round(ours / bare, 3)}
    if args.memory:
        result["peak_rss_mb"] = {f"{f * args.mb:.2f} MB": round(peak_memory_mb(f * args.mb)) for f in (0.25, 0.5, 1.0)}
    if args.single_doc_mb:
        result[f"peak_rss_mb_one_{args.single_doc_mb:g}_mb_document"] = round(single_document_peak_mb(args.single_doc_mb))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
