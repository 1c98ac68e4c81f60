/* A YASR plugin of ours: a horizontal bar chart of a SELECT answer that has a number column
 * (the last one whose values are all numeric) and a label column (the first column of names,
 * else the first other column).
 * The @zazuko/yasgui bundle has no chart plugin, and the usual ones load Google Charts from
 * another origin. Drawn as SVG through DOM calls (no inline style: the CSP allows none). */
(function () {
  "use strict";
  var SVG = "http://www.w3.org/2000/svg";
  var MAX_BARS = 60;

  function el(name, attrs, text) {
    var node = document.createElementNS(SVG, name);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function shorten(term, prefixes) {
    if (!term) {
      return "";
    }
    if (term.type !== "uri") {
      return term.value;
    }
    for (var p in prefixes) {
      if (term.value.indexOf(prefixes[p]) === 0) {
        return p + ":" + term.value.slice(prefixes[p].length);
      }
    }
    return term.value.replace(/^.*[\/#]/, "");
  }

  function columns(results) {
    var vars = results.getVariables();
    var rows = results.getBindings();
    var numeric = vars.filter(function (v) {
      return rows.length > 0 && rows.every(function (r) {
        return r[v] && r[v].type !== "uri" && r[v].value !== "" && !isNaN(Number(r[v].value));
      });
    });
    if (!numeric.length) {
      return null;
    }
    var value = numeric[numeric.length - 1];
    var others = vars.filter(function (v) { return numeric.indexOf(v) < 0; });
    // A name reads better than an IRI or a code: the first column of non-numeric literals.
    var named = others.filter(function (v) {
      return rows.every(function (r) { return r[v] && r[v].type !== "uri" && isNaN(Number(r[v].value)); });
    });
    var label = named[0] || others[0] || vars.filter(function (v) { return v !== value; })[0];
    return label ? { label: label, value: value } : null;
  }

  function Chart(yasr) {
    this.yasr = yasr;
    this.priority = 5;
    this.label = "Chart";
  }
  Chart.prototype.canHandleResults = function () {
    var r = this.yasr.results;
    return !!(r && r.getVariables && r.getType && r.getType() === "json" && r.getBindings() &&
      columns(r));
  };
  Chart.prototype.getIcon = function () {
    var icon = document.createElement("span");
    icon.className = "gcm-chart-icon";
    icon.textContent = "▥";
    return icon;
  };
  Chart.prototype.draw = function () {
    var results = this.yasr.results;
    var cols = columns(results);
    var prefixes = this.yasr.getPrefixes ? this.yasr.getPrefixes() : {};
    var rows = results.getBindings().slice(0, MAX_BARS);
    var max = Math.max.apply(null, rows.map(function (r) { return Number(r[cols.value].value); }));
    var labelWidth = 340, barWidth = 480, rowHeight = 22, top = 28;
    var svg = el("svg", {
      "class": "gcm-chart", role: "img",
      width: labelWidth + barWidth + 80, height: top + rows.length * rowHeight + 10,
      "aria-label": cols.value + " by " + cols.label,
    });
    svg.appendChild(el("text", { x: labelWidth, y: 16, "class": "axis" },
      "?" + cols.value + " by ?" + cols.label +
      (results.getBindings().length > MAX_BARS ? " (first " + MAX_BARS + " rows)" : "")));
    rows.forEach(function (r, i) {
      var y = top + i * rowHeight;
      var n = Number(r[cols.value].value);
      var w = max > 0 ? Math.max(1, (n / max) * barWidth) : 1;
      var name = shorten(r[cols.label], prefixes);
      var label = el("text", { x: labelWidth - 8, y: y + 15, "text-anchor": "end" },
        name.length > 48 ? name.slice(0, 46) + "…" : name);
      label.appendChild(el("title", {}, name));
      svg.appendChild(label);
      svg.appendChild(el("rect", { x: labelWidth, y: y + 3, width: w, height: rowHeight - 6,
        "class": "bar" }));
      svg.appendChild(el("text", { x: labelWidth + w + 6, y: y + 15 }, String(n)));
    });
    var holder = document.createElement("div");
    holder.className = "gcm-chart-holder";
    holder.appendChild(svg);
    this.yasr.resultsEl.appendChild(holder);
  };
  window.GcmChart = Chart;
})();
