"""The query page (YASGUI) as a person uses it, in headless Chromium against a loopback server.

Needs Debian's chromium (/usr/bin/chromium), which `make test` installs; outside CI the
tests skip when it is missing, in CI they must run. Screenshots go to tests/artifacts/.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .conftest import HOSTILE, PREFIXES, SCRIPT_NAME

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"


def watch(page) -> dict[str, list[str]]:
    """Record every request, failed request, dialog and console error of a page."""
    seen = {"requests": [], "failed": [], "dialogs": [], "errors": []}
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.on("requestfailed", lambda r: seen["failed"].append(r.url))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
    return seen


def wait_until(page, script: str, timeout: float = 30.0) -> None:
    """Poll a JS expression. Not page.wait_for_function: it evaluates with eval, which
    the pages' Content-Security-Policy rightly forbids."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(script):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.wait_for_timeout(50)


ACTIVE = ".tabPanel.active"
# DOMPurify (inside YASGUI) parses each cell in an inert document; Chromium still reports the
# onerror= of a name like <img src=x onerror=...> there as a refused inline handler, though
# nothing runs (cure53/DOMPurify#107). Only that report is allowed; any other is a failure.
INERT_PARSE_REPORT = "Executing inline event handler violates the following Content Security Policy"


@pytest.fixture
def query_page(browser, server):
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    seen = watch(page)
    page.goto(server.url + "/")
    wait_until(page, "document.querySelectorAll('#example option').length > 1")
    wait_until(page, "window.animekgYasgui !== undefined")
    yield page, seen
    page.close()


def open_example(page, name: str) -> None:
    page.select_option("#example", name)
    wait_until(page, f"window.animekgYasgui.getTab().getName() === {name!r}")


def set_query(page, text: str) -> None:
    page.evaluate("text => { window.animekgYasgui.getTab().setQuery(text); }", text)


def run_and_wait(page, how: str = "click") -> str:
    """Run the active tab's query; the response line (e.g. "11 results in 0.01 seconds")
    or the error's text."""
    if how == "click":
        page.click(f"{ACTIVE} .yasqe_queryButton")
    else:
        page.click(f"{ACTIVE} .CodeMirror-lines")
        page.keyboard.press("Control+Enter")
    wait_until(page, f"!!document.querySelector('{ACTIVE} .yasr .dataTable tbody tr') || "
                     f"!!document.querySelector('{ACTIVE} .yasr .errorResult')")
    error = page.query_selector(f"{ACTIVE} .yasr .errorResult")
    return error.inner_text() if error else page.inner_text(f"{ACTIVE} .yasr_response_chip")


def cells(page) -> list[str]:
    return page.eval_on_selector_all(f"{ACTIVE} .yasr .dataTable tbody td",
                                     "tds => tds.map(td => td.textContent.trim())")


def assert_offline_and_harmless(page, seen, server) -> None:
    """Nothing left the server, nothing failed, no script from the data ran."""
    assert seen["requests"] and all(url.startswith(server.url + "/") for url in seen["requests"]), seen["requests"]
    assert seen["failed"] == []
    assert seen["dialogs"] == []
    assert [e for e in seen["errors"] if INERT_PARSE_REPORT not in e] == []  # no CSP violation, no script error
    assert page.evaluate("typeof window.__pwned") == "undefined"


def test_the_page_loads_offline_and_runs_a_named_query_into_a_table(query_page, server):
    page, seen = query_page
    open_example(page, "view-entities")
    assert "# name: view-entities" in page.evaluate("window.animekgYasgui.getTab().getQuery()")
    assert page.inner_text("#description").startswith("Every entity")
    status = run_and_wait(page)
    assert status.startswith("11 results")  # every entity of the two texts
    shown = " | ".join(cells(page))
    assert HOSTILE in shown and SCRIPT_NAME in shown and "Mirei Kanzaki" in shown
    page.wait_for_timeout(300)  # an injected onerror would have fired by now
    assert page.evaluate("document.querySelectorAll('.yasr img, .yasr script, .yasr b').length") == 0
    assert_offline_and_harmless(page, seen, server)
    assert {u.removeprefix(server.url) for u in seen["requests"]} == {
        "/", "/static/yasgui.min.css", "/static/query.css", "/static/yasgui.min.js", "/static/query.js",
        "/queries", "/sparql"}
    assert page.evaluate("window.localStorage.length") == 0  # nothing kept in the browser
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "serve-query-page.png"), full_page=True)


def test_a_named_query_with_a_parameter_runs_with_ctrl_enter(query_page, server):
    page, seen = query_page
    open_example(page, "person-credits")
    assert page.locator("#params input").count() == 1
    page.fill("#params input", "Mirei Kanzaki")
    status = run_and_wait(page, how="keyboard")
    assert status.startswith("3 results"), status
    headers = page.eval_on_selector_all(f"{ACTIVE} .yasr .dataTable thead th", "ths => ths.map(th => th.textContent)")
    assert "relation" in headers and "work" in headers
    shown = cells(page)
    assert {"composedMusicFor", "arrangerOf", "composerOf"} <= set(shown)
    assert {"Tidal Archive", "Lantern Tide", "Night Ferry Lights"} <= set(shown)
    assert_offline_and_harmless(page, seen, server)


def test_an_error_is_shown_as_text(query_page, server):
    page, seen = query_page
    set_query(page, f"SELECT {HOSTILE} WHERE {{}}")
    assert page.locator(f"{ACTIVE} .parseErrorIcon").count() == 1  # the editor marks it before it runs
    status = run_and_wait(page)
    assert "malformed SPARQL query: error at 1:" in status
    page.wait_for_timeout(300)
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    assert seen["dialogs"] == []


def test_entity_iris_in_results_open_the_entitys_page(query_page, server):
    page, seen = query_page
    set_query(page, PREFIXES + 'SELECT DISTINCT ?e WHERE { ?e rdfs:label "Mirei Kanzaki" }')
    assert run_and_wait(page).startswith("1 result")
    link = page.locator(f"{ACTIVE} .yasr .dataTable tbody td a").first
    assert link.get_attribute("href") == "/id/agent/kanzaki-mirei"
    with page.expect_popup() as popup_info:
        link.click()
    entity = popup_info.value
    entity.wait_for_load_state()
    assert entity.inner_text("h1") == "Mirei Kanzaki"
    entity.close()


def test_the_network_view_link_opens_a_page_that_draws(query_page, server):
    page, _ = query_page
    set_query(page, PREFIXES + 'SELECT ?song WHERE { ?song a amk:Song ; rdfs:label "Night Ferry Lights" }')
    assert run_and_wait(page).startswith("1 result")
    with page.expect_popup() as popup_info:
        page.click("#view-link")
    view = popup_info.value
    view_seen = watch(view)
    view.wait_for_load_state()
    wait_until(view, "window.animekgNetwork !== undefined")
    # The status line empties once stabilization is done and physics is off.
    wait_until(view, "document.getElementById('status').textContent === ''", timeout=120)
    # The names the page draws (itself, not through vis: views/page.py).
    labels = view.evaluate("JSON.parse(document.getElementById('graph-data').textContent).nodes.map(n => n.label)")
    # The song and everything one credit away: its show, its composer, its performer.
    assert set(labels) == {"Night Ferry Lights", "Tidal Archive", "Mirei Kanzaki", HOSTILE}
    assert view.evaluate("Object.keys(window.animekgNetwork.getPositions()).length") == 4
    colours = view.evaluate("""(() => {
        const c = document.querySelector('#graph canvas'), g = c.getContext('2d');
        const d = g.getImageData(0, 0, c.width, c.height).data, seen = new Set();
        for (let i = 0; i < d.length; i += 4 * 97) seen.add(d[i] + ',' + d[i + 1] + ',' + d[i + 2]);
        return seen.size; })()""")
    assert colours > 3  # painted, not blank
    view.wait_for_timeout(300)
    assert view_seen["dialogs"] == [] and view.evaluate("typeof window.__pwned") == "undefined"
    assert view.evaluate("document.querySelectorAll('img').length") == 0
    assert view_seen["failed"] == [] and view_seen["errors"] == []
    assert all(u.startswith(server.url + "/") for u in view_seen["requests"])
    view.screenshot(path=str(ARTIFACTS / "serve-network-view.png"))
    view.close()
