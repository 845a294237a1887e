"""Time to write the view page for synthetic credit networks of 1,000 and 5,000 entities.

    .venv/bin/python bench/bench_view.py

Goal: the page for 5,000 entities is written in under 2 seconds.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

from animekg.views import credit_network, write_view_page

KINDS = ["Composer", "Performer", "Show", "Song", "Album", "Label"]
RELATIONS = {("Composer", "Show"): "composedMusicFor", ("Performer", "Song"): "performerOf",
             ("Song", "Show"): "openingThemeOf", ("Song", "Album"): "trackOf", ("Album", "Label"): "releasedBy"}


def synthetic_rows(n: int, seed: int = 3):
    rng = random.Random(seed)
    entities = [{"iri": f"urn:e:{i}", "label": f"Entity {i}", "types": [KINDS[i % len(KINDS)]], "aliases": []}
                for i in range(n)]
    by_kind = {k: [e for e in entities if e["types"][0] == k] for k in KINDS}
    credits = []
    for (s_kind, o_kind), rel in RELATIONS.items():
        for s in by_kind[s_kind]:
            o = rng.choice(by_kind[o_kind])
            credits.append({"s": s["iri"], "p": rel, "o": o["iri"], "confidence": 0.7,
                            "evidence": [{"sentence": f"{s['label']} {rel} {o['label']}.", "source": "bench"}]})
    return entities, credits


def main() -> None:
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in (1000, 5000):
            entities, credits = synthetic_rows(n)
            start = time.perf_counter()
            graph = credit_network(entities, credits)
            built = time.perf_counter()
            write_view_page(graph, Path(tmp) / f"view-{n}.html", max_nodes=n)
            done = time.perf_counter()
            results[f"{n} entities"] = {"credits": graph.number_of_edges(),
                                        "network_s": round(built - start, 3), "page_s": round(done - built, 3)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
