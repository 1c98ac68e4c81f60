/* The query editor (YASGUI, vendored under /assets/vendor/yasgui/) on /sparql and /query.
 *
 * No inline script: the page gives its configuration as JSON in the data-config attribute of
 * #yasgui (endpoint, initial query, prefixes, catalogue examples). Only the `prefixes` and
 * `variables` autocompleters are enabled: the bundle's `property` and `class` completers would
 * ask a vocabulary service on another origin. When YASGUI has started, the plain form (the
 * no-script fallback) is hidden. */
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || typeof Yasgui === "undefined") {
    return;
  }
  var config = JSON.parse(root.getAttribute("data-config"));
  var prologue = Object.keys(config.prefixes)
    .map(function (p) { return "PREFIX " + p + ": <" + config.prefixes[p] + ">"; })
    .join("\n");

  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  if (window.GcmChart) {
    Yasgui.Yasr.registerPlugin("chart", window.GcmChart);
  }
  var yasgui = new Yasgui(root, {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    persistenceId: config.query ? null : "gcm-graph-editor",
    populateFromUrl: true,
    autofocus: true,
    yasqe: {
      value: config.query || prologue + "\n\n" + config.starter,
      resizeable: true,
      editorHeight: "320px",
    },
    yasr: {
      prefixes: config.prefixes,
      pluginOrder: ["table", "response", "chart"],
      defaultPlugin: "table",
    },
  });
  window.gcmYasgui = yasgui;
  document.documentElement.classList.add("has-editor");

  var tab = yasgui.getTab();
  if (tab && tab.getEndpoint() !== config.endpoint) {
    tab.setEndpoint(config.endpoint);
  }
  if (config.query && config.run && tab) {
    tab.query();
  }

  var list = document.getElementById("editor-examples");
  if (list) {
    list.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-example]");
      if (!link) {
        return;
      }
      var example = config.examples[Number(link.getAttribute("data-example"))];
      if (!example) {
        return;
      }
      event.preventDefault();
      var current = yasgui.getTab();
      current.setQuery(example.query);
      current.setName(example.title.length > 40 ? example.title.slice(0, 38) + "…" : example.title);
      current.query();
      root.scrollIntoView();
    });
  }
})();
