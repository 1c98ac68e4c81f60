/* The interactive network on /analysis: cytoscape.js (vendored) over /analysis/network.json.
 * Click an objective: its page opens. Hover a line: the SDG targets the two objectives share. */
(function () {
  "use strict";
  var holder = document.getElementById("network-view");
  var info = document.getElementById("network-info");
  if (!holder || typeof cytoscape === "undefined") {
    return;
  }
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2"];

  function show(title, items) {
    info.textContent = "";
    var heading = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = title;
    heading.appendChild(strong);
    info.appendChild(heading);
    if (items && items.length) {
      var list = document.createElement("ul");
      items.forEach(function (text) {
        var li = document.createElement("li");
        li.textContent = text;
        list.appendChild(li);
      });
      info.appendChild(list);
    }
  }

  fetch(holder.getAttribute("data-src"), { headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var cy = cytoscape({
        container: holder,
        elements: data.elements,
        wheelSensitivity: 0.3,
        style: [
          { selector: "node", style: {
            "label": "data(label)", "text-valign": "center", "text-halign": "center",
            "color": "#fff", "font-size": 13, "font-weight": "bold",
            "text-outline-width": 1, "text-outline-color": "#333",
            "width": "mapData(weighted_degree, 0, 60, 22, 60)",
            "height": "mapData(weighted_degree, 0, 60, 22, 60)",
            "background-color": function (n) { return PALETTE[(n.data("community") - 1 + PALETTE.length) % PALETTE.length]; },
            "border-width": 2, "border-color": "#fff" } },
          { selector: "edge", style: {
            "width": "mapData(weight, 1, 7, 1, 8)", "line-color": "#9aa5ae", "opacity": 0.55,
            "curve-style": "haystack" } },
          { selector: "edge.hover", style: { "line-color": "#d35400", "opacity": 1, "z-index": 10 } },
          { selector: "node.hover", style: { "border-color": "#d35400", "border-width": 4 } },
        ],
        layout: { name: "cose", animate: false, randomize: true, nodeRepulsion: 9000,
                  idealEdgeLength: 120, edgeElasticity: 60, numIter: 1500 },
      });
      window.gcmNetwork = cy;
      holder.setAttribute("data-nodes", String(cy.nodes().length));
      holder.setAttribute("data-edges", String(cy.edges().length));
      cy.on("mouseover", "edge", function (e) {
        var d = e.target.data();
        e.target.addClass("hover");
        var a = cy.getElementById(d.source).data(), b = cy.getElementById(d.target).data();
        show("Objectives " + a.label + " and " + b.label + " share " + d.shared.length +
          " SDG target" + (d.shared.length === 1 ? "" : "s") + ":", d.shared_labels || d.shared);
      });
      cy.on("mouseout", "edge", function (e) { e.target.removeClass("hover"); });
      cy.on("mouseover", "node", function (e) {
        var d = e.target.data();
        e.target.addClass("hover");
        show("Objective " + d.label + ": " + d.name, [
          d.degree + " other objectives share a target with it",
          d.weighted_degree + " shared targets in all",
          "community " + d.community + (d.all_goals ? " (the booklet: all SDGs relevant)" : ""),
          "click to open its page",
        ]);
      });
      cy.on("mouseout", "node", function (e) { e.target.removeClass("hover"); });
      cy.on("tap", "node", function (e) {
        var href = e.target.data("href");
        if (href) {
          window.location.href = href;
        }
      });
    })
    .catch(function (error) {
      show("The network could not be loaded: " + error);
    });
})();
