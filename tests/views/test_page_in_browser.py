"""The view page as a person sees it: opened in headless Chromium from a file, offline.

Needs Debian's chromium (/usr/bin/chromium), which `make test` installs; outside CI the
tests skip when it is missing, in CI they must run. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from animekg import api
from animekg.views import credit_network, write_view_page

from .conftest import iri

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ALERT = "<img src=x onerror=alert(1)>"
PWNED = '<img src=x onerror="window.__pwned=1">'


def open_page(browser, path: Path, shot: str):
    """Load the page, record every request and dialog, wait for the layout to settle."""
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    seen = {"requests": [], "failed": [], "dialogs": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    page.wait_for_function("window.animekgNetwork !== undefined", timeout=20_000)
    # The status line empties once stabilization is done and physics is off.
    page.wait_for_function("document.getElementById('status').textContent === ''", timeout=120_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / shot))
    return page, seen


def assert_drawn_offline(page, seen: dict, path: Path, n_nodes: int) -> None:
    assert seen["failed"] == []
    assert seen["requests"] == [path.as_uri()]  # nothing but the page: no CDN, no image, no font
    assert page.evaluate("window.animekgNetwork.body.data.nodes.length") == n_nodes
    assert page.evaluate("Object.keys(window.animekgNetwork.getPositions()).length") == n_nodes
    width, height = page.evaluate("(() => { const c = document.querySelector('#graph canvas');"
                                  " return [c.width, c.height]; })()")
    assert width > 0 and height > 0
    # Painted, not blank: a blank canvas has one colour.
    colours = page.evaluate("""(() => {
        const c = document.querySelector('#graph canvas'), g = c.getContext('2d');
        const d = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();
        for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2] + ',' + d[i + 3]);
        return seen.size; })()""")
    assert colours > 3
    assert page.evaluate("window.animekgNetwork.physics.physicsEnabled") is False


def test_examples_view_loads_offline_and_draws_every_node(browser, tmp_path: Path) -> None:
    store = api.open_store(":memory:")
    api.build([EXAMPLES], store)
    graph = api.network(store)
    path = write_view_page(graph, tmp_path / "examples.html")
    page, seen = open_page(browser, path, "examples-view.png")
    assert_drawn_offline(page, seen, path, graph.number_of_nodes())
    assert seen["dialogs"] == []
    page.close()


def on_screen(page, node: str) -> tuple[float, float]:
    """Where a node is drawn, in the page's coordinates (for the mouse)."""
    x, y = page.evaluate("""(id) => {
        const net = window.animekgNetwork, at = net.canvasToDOM(net.getPosition(id));
        const box = document.querySelector('#graph canvas').getBoundingClientRect();
        return [box.left + at.x, box.top + at.y]; }""", node)
    return x, y


def hover(page, node: str) -> str:
    """Move the mouse onto a node and return the tooltip's text."""
    page.mouse.move(*on_screen(page, node))
    page.wait_for_selector("div.vis-tooltip", state="visible")
    return page.inner_text("div.vis-tooltip")


def test_names_from_the_web_run_no_script(browser, tmp_path: Path) -> None:
    graph = credit_network(
        [{"iri": "urn:x:alert", "label": ALERT, "types": ["Performer"], "aliases": ["<b>bold</b>"]},
         {"iri": "urn:x:pwned", "label": PWNED, "types": ["Show"], "aliases": ["<script>window.__pwned=2</script>"]}],
        [{"s": "urn:x:alert", "p": "performedMusicFor", "o": "urn:x:pwned", "confidence": 0.5,
          "evidence": [{"sentence": "<svg onload=alert(2)>", "source": "<b>src</b>"}]}])
    path = write_view_page(graph, tmp_path / "evil.html", title="<script>alert(3)</script>")
    page, seen = open_page(browser, path, "evil-view.png")
    assert_drawn_offline(page, seen, path, graph.number_of_nodes())
    # Tooltips and the search box are where names meet the DOM.
    assert ALERT in hover(page, "urn:x:alert")
    assert PWNED in hover(page, "urn:x:pwned")
    page.fill("#q", ALERT)
    page.press("#q", "Enter")
    assert page.evaluate("window.animekgNetwork.getSelectedNodes()") == ["urn:x:alert"]
    page.wait_for_timeout(300)  # an injected onerror would fire by now
    assert seen["dialogs"] == []
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.evaluate("document.querySelectorAll('img, svg, b').length") == 0
    assert page.evaluate("document.scripts.length") == 4  # data, options, vis-network, the page's own
    assert page.inner_text("h1") == "<script>alert(3)</script>"
    page.close()


def big_graph(n: int) -> nx.MultiDiGraph:
    kinds = ("Composer", "Song", "Show")
    entities = [{"iri": f"urn:x:{i}", "label": f"Name {i}", "types": [kinds[i % 3]], "aliases": []} for i in range(n)]
    credits = [{"s": f"urn:x:{i}", "p": "composedMusicFor", "o": f"urn:x:{(i * 7 + 2) % n}", "confidence": 0.8,
                "evidence": []} for i in range(0, n, 2)]
    return credit_network(entities, credits)


def test_a_big_graph_settles_and_says_what_it_shows(browser, tmp_path: Path) -> None:
    graph = big_graph(5000)
    path = write_view_page(graph, tmp_path / "big.html", max_nodes=1500)
    page, seen = open_page(browser, path, "big-view.png")
    assert_drawn_offline(page, seen, path, 1500)
    assert page.is_visible("#notice")
    assert page.inner_text("#notice") == "Showing the 1,500 most connected of 5,000 nodes."
    page.close()


def test_notebook_inline_view_draws_in_its_iframe(browser, graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    from animekg.views import inline_view

    path = tmp_path / "cell.html"
    path.write_text(f"<!DOCTYPE html><html><body>{inline_view(graph, height=500).data}</body></html>",
                    encoding="utf-8")
    page = browser.new_page(viewport={"width": 1000, "height": 600})
    requests, dialogs = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(path.as_uri())
    frame = page.frame_locator("iframe")
    frame.locator("#graph canvas").wait_for()
    count = page.frames[1].wait_for_function("window.animekgNetwork && window.animekgNetwork.body.data.nodes.length")
    assert count.json_value() == graph.number_of_nodes()
    page.screenshot(path=str(ARTIFACTS / "notebook-cell.png"))
    assert [u for u in requests if u.startswith(("http:", "https:"))] == []
    assert dialogs == []
    page.close()


# -- readable at any size: labels, the side panel, communities ---------------------------

def clustered_graph(n: int, seed: int = 3) -> nx.MultiDiGraph:
    """``n`` invented entities in groups of twenty that credit each other, a few credits
    across groups, and more credits for the first of each group."""
    import random

    rnd = random.Random(seed)
    kinds = ("Composer", "Song", "Show", "Performer", "Album")
    entities = [{"iri": f"urn:x:{i}", "label": f"Entity number {i}", "types": [kinds[i % 5]], "aliases": []}
                for i in range(n)]
    credits = []
    for i in range(n):
        group = i // 20 * 20
        for j in {group, group + rnd.randrange(20), rnd.randrange(n) if rnd.random() < 0.1 else group + 1}:
            if j != i and j < n:
                credits.append({"s": f"urn:x:{i}", "p": "composerOf", "o": f"urn:x:{j}", "confidence": 0.7,
                                "evidence": [{"sentence": f"Sentence about {i} and {j}.", "source": f"doc-{i}"}]})
    return credit_network(entities, credits)


def labels_drawn(page) -> dict:
    return page.evaluate("window.animekgLabels()")


@pytest.mark.parametrize("n", [50, 500, 1500])
def test_labels_stay_readable_and_zooming_in_shows_more(browser, tmp_path: Path, n: int) -> None:
    graph = clustered_graph(n)
    path = write_view_page(graph, tmp_path / f"view-{n}.html")
    page, seen = open_page(browser, path, f"view-{n}-nodes.png")
    assert_drawn_offline(page, seen, path, n)
    first = labels_drawn(page)
    top = max(graph.nodes, key=lambda v: (graph.degree(v), v))
    # The most connected is named at once, whatever the size; no two names overlap.
    assert top in first["nodes"] and first["nodes"]
    boxes = first["boxes"]
    assert all(not (a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3])
               for i, a in enumerate(boxes) for b in boxes[i + 1:])
    # Names are written 13 px high on the screen, at any zoom (vis's own were scaled
    # with it: a few pixels at a few hundred nodes).
    assert first["px"] == 13
    page.evaluate("(id) => window.animekgNetwork.moveTo({position: window.animekgNetwork.getPosition(id), "
                  "scale: 1.5})", top)
    page.wait_for_function("window.animekgLabels().scale === 1.5")
    zoomed = labels_drawn(page)
    assert zoomed["edges"]  # relations are named where they have room
    if n > 50:  # at 50 nodes every name already fits
        assert set(zoomed["nodes"]) - set(first["nodes"])
    page.screenshot(path=str(ARTIFACTS / f"view-{n}-nodes-zoomed.png"))
    page.close()


def click_node(page, node: str) -> None:
    page.mouse.click(*on_screen(page, node))


def test_a_click_opens_a_panel_with_credits_evidence_and_sources(browser, graph: nx.MultiDiGraph,
                                                                  tmp_path: Path) -> None:
    path = write_view_page(graph, tmp_path / "panel.html")
    page, _ = open_page(browser, path, "view-panel-closed.png")
    assert page.is_hidden("#panel")
    click_node(page, iri("yoko-kanno"))
    page.wait_for_selector("#panel", state="visible")
    text = page.inner_text("#panel")
    assert text.splitlines()[1] == "Yoko Kanno" and "Types: Composer, Person" in text
    # Every credit of hers, each with its sentences and their sources.
    assert "composedMusicFor \u2192 Cowboy Bebop" in text
    assert "Yoko Kanno composed the music for Cowboy Bebop." in text and "doc-b" in text
    page.screenshot(path=str(ARTIFACTS / "view-panel.png"))
    # A name in the panel leads to that entity's own credits.
    page.get_by_role("button", name="Cowboy Bebop", exact=True).first.click()
    page.wait_for_function("document.querySelector('#panel h2').textContent === 'Cowboy Bebop'")
    page.click("#panel .close")
    assert page.is_hidden("#panel")
    page.close()


def test_a_community_collapses_into_one_node_and_opens_again(browser, tmp_path: Path) -> None:
    graph = clustered_graph(100)
    path = write_view_page(graph, tmp_path / "communities.html")
    page, _ = open_page(browser, path, "view-communities-open.png")
    drawn = "window.animekgNetwork.body.nodeIndices.length"
    click_node(page, "urn:x:0")
    page.wait_for_selector("#collapse-this")
    size = int(page.inner_text("#collapse-this").split("(")[1].split()[0])
    assert 1 < size < 100
    page.click("#collapse-this")
    assert page.evaluate(drawn) == 100 - size + 1
    assert page.inner_text("#panel h2") == f"Community of {size}"
    page.screenshot(path=str(ARTIFACTS / "view-community-collapsed.png"))
    cluster = page.evaluate("window.animekgPanel.clusterId(window.animekgNetwork.body.data.nodes.get('urn:x:0').community)")
    page.click("#panel .close")
    click_node(page, cluster)  # a click on the collapsed community shows what it holds
    page.wait_for_selector("#open-this")
    page.click("#open-this")
    assert page.evaluate(drawn) == 100
    # All of them at once, and back.
    page.click("#collapse-all")
    assert page.evaluate(drawn) < 100
    page.screenshot(path=str(ARTIFACTS / "view-communities-collapsed.png"))
    page.click("#open-all")
    assert page.evaluate(drawn) == 100
    page.close()
