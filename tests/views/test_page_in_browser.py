"""The view page as a person sees it: opened in headless Chromium from a file, offline.

Needs Debian's chromium (/usr/bin/chromium), which `make test` installs; outside CI the
tests skip when it is missing. Screenshots are kept in tests/artifacts/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from animekg import api
from animekg.views import credit_network, write_view_page

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("CI"),
                                reason="no Chromium here (make test installs Debian's chromium)")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


def open_page(browser, path: Path, shot: str):
    """Load the page, record every request and dialog, wait for the layout to settle."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    seen = {"requests": [], "failed": [], "dialogs": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("window.animekgNetwork !== undefined", timeout=20000)
    page.wait_for_function("document.getElementById('status').textContent === ''", timeout=60000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot))
    return page, seen


def drawn_nodes(page) -> int:
    return page.evaluate("window.animekgNetwork.body.data.nodes.length")


def test_examples_view_loads_offline_and_draws_every_node(browser, tmp_path):
    store = api.open_store(":memory:")
    api.build([EXAMPLES], store)
    graph = api.network(store)
    path = write_view_page(graph, tmp_path / "examples.html")
    page, seen = open_page(browser, path, "examples-view.png")
    assert seen["failed"] == []
    assert [u for u in seen["requests"] if u != path.as_uri()] == []
    assert drawn_nodes(page) == graph.number_of_nodes()
    canvas = page.evaluate("(() => { const c = document.querySelector('canvas'); return [c.width, c.height]; })()")
    assert canvas[0] > 0 and canvas[1] > 0
    # Something is painted: the canvas is not a single colour.
    colours = page.evaluate("""(() => {
        const c = document.querySelector('canvas'), g = c.getContext('2d');
        const d = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();
        for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
        return seen.size; })()""")
    assert colours > 3
    page.close()


def test_names_from_the_web_run_no_script(browser, tmp_path):
    rows = [{"iri": "urn:x:evil", "label": "<img src=x onerror=alert(1)>", "types": ["Performer"], "aliases": []},
            {"iri": "urn:x:evil2", "label": '<img src=x onerror="window.__pwned=1">', "types": ["Show"],
             "aliases": ["<script>window.__pwned=2</script>"]}]
    credits = [{"s": "urn:x:evil", "p": "performedMusicFor", "o": "urn:x:evil2", "confidence": 0.5,
                "evidence": [{"sentence": "<svg onload=alert(2)>", "source": "<b>src</b>"}]}]
    graph = credit_network(rows, credits)
    path = write_view_page(graph, tmp_path / "evil.html")
    page, seen = open_page(browser, path, "evil-view.png")
    # Show a tooltip too: the evidence is rendered there.
    page.mouse.move(600, 400)
    page.wait_for_timeout(500)
    assert seen["dialogs"] == []
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert drawn_nodes(page) == 2
    page.close()


def test_a_big_graph_settles_and_says_what_it_shows(browser, tmp_path):
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
    from bench_view import synthetic_rows

    graph = credit_network(*synthetic_rows(5000))
    path = write_view_page(graph, tmp_path / "big.html", max_nodes=1500)
    page, seen = open_page(browser, path, "big-view.png")  # waits for the layout to settle
    assert seen["failed"] == []
    assert drawn_nodes(page) == 1500
    assert "1,500 most connected of 5,000" in page.inner_text("#notice")
    assert page.evaluate("window.animekgNetwork.physics.physicsEnabled") is False
    page.close()
