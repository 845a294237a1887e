"""Every named query, in its portable form, on Apache Jena ARQ (Debian's libapache-jena-java,
when it is installed): the same rows as Oxigraph gives for the LATERAL form.

Jena reads an export of the store (N-Quads) into an in-memory TDB dataset whose default
graph is the union of the named graphs (tdb:unionDefaultGraph), as animekg's queries expect.
Debian's jars ship no command scripts and misplace the resources of the Xerces copy inside
jena-core; the fixture puts them where the classes look for them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pyoxigraph as ox
import pytest

from animekg.graph.queries import named_query
from animekg.graph.store import GraphStore

from .conftest import record_builders
from .test_queries import EXPECTED, _fill_library, forms, normalized, normalized_records

JARS = Path("/usr/share/java")
JENA = ["jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage",
        "jena-dboe-trans-data", "jena-dboe-transaction", "jena-iri", "jena-rdfconnection", "jena-tdb", "jena-tdb2",
        "jena-shacl", "jena-shex"]
LIBRARIES = ["commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
             "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-core", "jackson-databind",
             "jackson-annotations", "jakarta.json-api", "jsonld-java", "protobuf", "slf4j-api", "slf4j-nop", "thrift",
             "titanium-json-ld", "commons-logging"]


@pytest.fixture(scope="module")
def jena(tmp_path_factory) -> SimpleNamespace:
    java = shutil.which("java")
    if java is None or not (JARS / "jena-arq.jar").exists():
        pytest.skip("no Apache Jena (apt-get install libapache-jena-java)")
    # Debian moved the Xerces classes inside jena-core to package xerces.*, but not their
    # message files: copy them to where the classes look.
    resources = tmp_path_factory.mktemp("jena-resources")
    with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith("org/apache/jena/ext/xerces/") and name.endswith(".properties"):
                target = resources / "xerces" / name.removeprefix("org/apache/jena/ext/xerces/")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    jars = [JARS / f"{n}.jar" for n in JENA + LIBRARIES if (JARS / f"{n}.jar").exists()]
    classpath = ":".join([str(resources), *map(str, jars)])
    version = subprocess.run([java, "-cp", classpath, "arq.sparql", "--version"], capture_output=True, text=True)
    assert version.returncode == 0, version.stderr[-2000:]
    library = _fill_library(GraphStore.in_memory(), record_builders())
    data = tmp_path_factory.mktemp("jena-data") / "library.nq"
    data.write_bytes(library.backend.dump(format=ox.RdfFormat.N_QUADS))  # with the kept graphs, which some queries read
    return SimpleNamespace(java=java, classpath=classpath, data=data, library=library, folder=data.parent)


def jena_rows(jena: SimpleNamespace, text: str) -> list[str]:
    query = jena.folder / "query.rq"
    query.write_text(text, encoding="utf-8")
    result = subprocess.run([jena.java, "-XX:TieredStopAtLevel=1", "-cp", jena.classpath, "tdb.tdbquery",
                             f"--mem={jena.data}", "--set", "tdb:unionDefaultGraph=true", f"--query={query}",
                             "--results=json"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    body = json.loads(result.stdout)
    return normalized_records([{v: b[v]["value"] if v in b else None for v in body["head"]["vars"]}
                               for b in body["results"]["bindings"]])


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n != "entity-description"))  # a CONSTRUCT
def test_the_portable_form_gives_oxigraphs_rows_on_jena(jena, name):
    query = named_query(name)
    lateral, sent, params, _ = forms(jena.library, query)
    expected = normalized(jena.library.query(lateral, params))
    assert jena_rows(jena, sent) == expected
