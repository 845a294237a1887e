// The query page: examples from /queries, results from /sparql, a link to /view.
// Every value comes from web text, so it reaches the DOM through textContent only.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
  let examples = {};

  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined) e.textContent = text;
    if (cls) e.className = cls;
    return e;
  }

  function setStatus(text, warn) {
    $("status").textContent = text;
    $("status").className = warn ? "warn" : "";
  }

  // A parameter is sent as $name=TERM and bound as an RDF term by the server.
  function term(kind, value) {
    if (kind === "iri") return "<" + value + ">";
    return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')
      .replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';
  }

  function requestParams() {
    const params = new URLSearchParams();
    params.set("query", $("query").value);
    document.querySelectorAll("#params input").forEach((input) => {
      params.set("$" + input.name, term(input.dataset.kind, input.value));
    });
    return params;
  }

  function showExample() {
    const example = examples[$("example").value];
    const box = $("params");
    box.replaceChildren();
    $("description").textContent = example ? example.description : "";
    if (!example) return;
    $("query").value = example.text;
    example.params.forEach((p) => {
      const label = el("label");
      label.appendChild(el("code", "?" + p.name));
      const input = el("input");
      input.name = p.name;
      input.dataset.kind = p.kind;
      input.placeholder = p.kind === "iri" ? "an IRI" : "a value";
      label.appendChild(input);
      label.appendChild(el("span", p.doc, "doc"));
      box.appendChild(label);
    });
    if (example.params.length) {
      box.appendChild(el("div", "Each value is bound to its variable as an RDF term: " +
        "sent as $name=\"value\" (or $name=<iri>) beside the query.", "hint"));
    }
  }

  function loadExamples() {
    fetch("queries").then((r) => r.json()).then((list) => {
      list.forEach((q) => {
        examples[q.name] = q;
        const option = el("option", q.name);
        option.value = q.name;
        $("example").appendChild(option);
      });
    }).catch((err) => setStatus("Could not load the examples: " + err, true));
  }

  function cell(binding) {
    const td = el("td");
    if (!binding) return td;
    if (binding.type === "bnode") {
      td.textContent = "_:" + binding.value;
    } else if (binding.type === "triple") {
      const t = binding.value;
      td.textContent = "<< " + [t.subject, t.predicate, t.object].map((b) => b.value).join(" ") + " >>";
    } else {
      td.textContent = binding.value;
      const kind = binding["xml:lang"] ? "@" + binding["xml:lang"]
        : binding.datatype ? " " + binding.datatype.replace(/^.*[#/]/, "") : "";
      if (kind && !kind.endsWith("string")) td.appendChild(el("span", kind, "kind"));
    }
    return td;
  }

  function showTable(results) {
    const table = $("table");
    const head = el("tr");
    results.head.vars.forEach((v) => head.appendChild(el("th", v)));
    table.appendChild(head);
    results.results.bindings.forEach((row) => {
      const tr = el("tr");
      results.head.vars.forEach((v) => tr.appendChild(cell(row[v])));
      table.appendChild(tr);
    });
    return results.results.bindings.length;
  }

  function clear() {
    $("table").replaceChildren();
    $("text").hidden = true;
    $("error").hidden = true;
    $("view-link").hidden = true;
  }

  async function run() {
    clear();
    setStatus("Running\u2026");
    const params = requestParams();
    const started = performance.now();
    let response;
    try {
      response = await fetch("sparql", {method: "POST", headers: {Accept: ACCEPT}, body: params});
    } catch (err) {
      setStatus("");
      $("error").textContent = "The server did not answer: " + err;
      $("error").hidden = false;
      return;
    }
    const ms = Math.round(performance.now() - started);
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok) {
      setStatus("");
      $("error").textContent = response.status + " " + response.statusText + "\n" + await response.text();
      $("error").hidden = false;
      return;
    }
    const limit = response.headers.get("X-SPARQL-MaxRows");
    let shown;
    if (type.startsWith("application/sparql-results+json")) {
      const results = await response.json();
      if ("boolean" in results) {
        $("text").textContent = String(results.boolean);
        $("text").hidden = false;
        setStatus("ASK answered in " + ms + " ms");
        return;
      }
      shown = showTable(results) + " rows";
    } else {
      const text = await response.text();
      $("text").textContent = text;
      $("text").hidden = false;
      shown = "triples";
    }
    $("view-link").href = "view?" + params.toString();
    $("view-link").hidden = false;
    setStatus(limit ? shown + " in " + ms + " ms: cut at the server's result limit of " + limit
      : shown + " in " + ms + " ms", Boolean(limit));
  }

  $("example").addEventListener("change", showExample);
  $("run").addEventListener("click", run);
  $("query").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      run();
    }
  });
  loadExamples();
}());
