// The query page: YASGUI against this server's own /sparql; nothing from elsewhere,
// nothing kept in the browser. Examples come from /queries (see serve/page.py).
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  // Absolute: YASQE's GET path does `new URL(endpoint)`, which throws on a relative "sparql".
  const ENDPOINT = new URL("sparql", document.baseURI).href;
  const ENTITY_BASE = "https://w3id.org/animekg/id/";
  const PREFIXES = {  // shown in the table, offered after "PREFIX", declared when "amk:" is typed
    amk: "https://w3id.org/animekg/ontology#",
    rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    rdfs: "http://www.w3.org/2000/01/rdf-schema#",
    skos: "http://www.w3.org/2004/02/skos/core#",
    prov: "http://www.w3.org/ns/prov#",
    dcterms: "http://purl.org/dc/terms/",
    xsd: "http://www.w3.org/2001/XMLSchema#",
  };
  const DEFAULT_QUERY = "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n" +
    "SELECT ?s ?p ?o\nWHERE { ?s ?p ?o }\nLIMIT 25";
  const Yasqe = Yasgui.Yasqe, Yasr = Yasgui.Yasr;

  // Autocompletion with no network and no localStorage. The bundle registers variables,
  // prefixes, property and class into Yasqe.defaults.autocompleters; a config value
  // `autocompleters: []` cannot shrink that array (lodash merge), so edit the defaults.
  // property/class ask lov.linkeddata.es; prefixes keeps prefix.cc's list (spam entries
  // included) in localStorage["prefixes"]: replace its list with ours, stored nowhere.
  Yasqe.Autocompleters.prefixes = Object.assign({}, Yasqe.Autocompleters.prefixes, {
    persistenceId: null,
    get: Object.keys(PREFIXES).map((p) => p + ": <" + PREFIXES[p] + ">"),
  });
  Yasqe.defaults.autocompleters.splice(0, Infinity, "variables", "prefixes");

  // YASQE's grammar is SPARQL 1.1: it flags Oxigraph's LATERAL (used by most named queries)
  // as an error. Skip the editor's check for such queries; the server still reports errors.
  const checkSyntax = Yasqe.prototype.checkSyntax;
  Yasqe.prototype.checkSyntax = function () {
    this.config.syntaxErrorCheck = !/\bLATERAL\b/i.test(this.getValue());
    return checkSyntax.call(this);
  };

  // Entity IRIs link to this server's pages (/id/...). YASR has no option for this.
  const Table = Yasr.plugins.table;
  const iriLink = Table.prototype.getUriLinkFromBinding;
  Table.prototype.getUriLinkFromBinding = function (binding, prefixes) {
    const html = iriLink.call(this, binding, prefixes);  // sanitised by YASR (DOMPurify)
    if (!binding.value.startsWith(ENTITY_BASE)) return html;
    const t = document.createElement("template");
    t.innerHTML = html;
    const a = t.content.querySelector("a");
    if (a) a.setAttribute("href", "/id/" + binding.value.slice(ENTITY_BASE.length));
    return t.innerHTML;
  };

  const yasgui = new Yasgui($("yasgui"), {
    requestConfig: {endpoint: ENDPOINT, method: "POST"},
    copyEndpointOnNewTab: false,
    persistenceId: null,       // no localStorage
    populateFromUrl: false,    // ignore #query=... links (the share button is hidden too)
    endpointCatalogueOptions: {getData: () => []},
    yasqe: {value: DEFAULT_QUERY, editorHeight: "300px"},
    yasr: {prefixes: PREFIXES, maxPersistentResponseSize: 0},
  });

  window.animekgYasgui = yasgui;  // for scripts and the browser console

  // A parameter goes beside the query as $name=TERM (N-Triples syntax), bound by the server.
  function term(kind, value) {
    if (kind === "iri") return "<" + value + ">";
    return '"' + value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')
      .replace(/\n/g, "\\n").replace(/\r/g, "\\r") + '"';
  }
  const examples = {};
  const paramsOfTab = {};  // tab id -> [{name, kind, doc, value}]

  function showParams() {
    const tab = yasgui.getTab();
    const box = $("params");
    box.replaceChildren();
    const params = tab ? paramsOfTab[tab.getId()] || [] : [];
    params.forEach((p) => {
      const label = document.createElement("label");
      const code = document.createElement("code");
      code.textContent = "?" + p.name;
      const input = document.createElement("input");
      input.value = p.value || "";
      input.placeholder = p.kind === "iri" ? "an IRI" : "a value";
      input.addEventListener("input", () => {
        p.value = input.value;
        tab.setRequestConfig({args: params.filter((q) => q.value)
          .map((q) => ({name: "$" + q.name, value: term(q.kind, q.value)}))});
      });
      const doc = document.createElement("span");
      doc.className = "doc";
      doc.textContent = p.doc;
      label.append(code, input, doc);
      box.appendChild(label);
    });
  }
  yasgui.on("tabSelect", () => setTimeout(showParams));
  yasgui.on("tabClose", () => setTimeout(showParams));

  $("example").addEventListener("change", () => {
    const q = examples[$("example").value];
    $("example").value = "";
    if (!q) return;
    const tab = yasgui.addTab(true, {name: q.name, yasqe: {value: q.text}});
    paramsOfTab[tab.getId()] = q.params.map((p) => Object.assign({value: ""}, p));
    $("description").textContent = q.description;
    showParams();
  });
  // The network page of the entities the current tab's result names: the link gets the
  // tab's query and parameters as it is followed.
  $("view-link").addEventListener("click", () => {
    const tab = yasgui.getTab();
    const url = new URLSearchParams({query: tab.getQuery(), depth: "1"});
    (tab.getRequestConfig().args || []).forEach((a) => url.append(a.name, a.value));
    $("view-link").href = "view?" + url.toString();
  });

  fetch("queries").then((r) => r.ok ? r.json() : []).then((list) => {
    list.forEach((q) => {
      examples[q.name] = q;
      const option = document.createElement("option");
      option.value = option.textContent = q.name;
      $("example").appendChild(option);
    });
  });
})();
