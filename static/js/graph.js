/* AliAdvisor ecosystem graph: draws /api/graph/ with AntV G6 (static/vendor/g6). Without
   JavaScript (or if G6 fails) the page's list of relations says the same. A large catalog's
   graph is its categories (a click opens one category's graph). */
(function () {
  "use strict";

  var canvas = document.getElementById("graph-canvas");
  var filters = document.querySelector("[data-graph-filters]");
  if (!canvas || !filters || !window.G6 || !window.fetch) return;

  var colours = {};
  (canvas.dataset.graphColours || "").split(",").forEach(function (pair) {
    var parts = pair.split("=");
    if (parts.length === 2) colours[parts[0]] = parts[1];
  });

  var data = null;
  var graph = null;

  function checked(name) {
    var values = {};
    filters.querySelectorAll("input[name=" + name + "]").forEach(function (box) {
      if (box.checked) values[box.value] = true;
    });
    return values;
  }

  function visibleData() {
    var categories = checked("category");
    var relations = checked("relation");
    var nodes = data.nodes.filter(function (node) { return categories[node.category]; });
    var kept = {};
    nodes.forEach(function (node) { kept[node.id] = true; });
    var edges = data.edges.filter(function (edge) {
      return relations[edge.type] && kept[edge.source] && kept[edge.target];
    });
    return {
      nodes: nodes.map(function (node) {
        return {
          id: node.id,
          data: { url: node.url, maintenance: node.maintenance, category: node.category },
          style: {
            fill: colours[node.category] || "#57534e",
            stroke: node.maintenance === "active" || node.kind === "category" ? "#1d2330" : "#8a3a00",
            lineWidth: node.maintenance === "active" || node.kind === "category" ? 1 : 2,
            lineDash: node.maintenance === "low-activity" ? [4, 2]
              : (node.maintenance === "unmaintained" ? [1, 2] : undefined),
            opacity: node.maintenance === "unmaintained" ? 0.55 : 1,
            // A category node (the overview of a large catalog) grows with its entries.
            size: node.kind === "category" ? Math.min(64, 18 + 3 * Math.sqrt(node.count)) : 22,
            labelText: node.kind === "category" ? node.label + " (" + node.count + ")" : node.label,
            labelFill: "#1d2330",
            labelFontSize: 11,
            cursor: "pointer"
          }
        };
      }),
      edges: edges.map(function (edge) {
        return {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          data: { type: edge.type },
          style: {
            stroke: edge.type === "alternative-to" ? "#be123c"
              : (edge.type === "successor-of" ? "#6d28d9" : "#8993a4"),
            lineDash: edge.type === "alternative-to" ? [4, 3] : undefined,
            endArrow: edge.type !== "alternative-to",
            lineWidth: edge.count > 1 ? Math.min(6, 1 + Math.log(edge.count)) : 1.2
          }
        };
      })
    };
  }

  // What is drawn, for tests and for anyone inspecting the page.
  var state = {
    layoutDone: false,
    clientPoint: function (id) {
      var point = graph.getClientByCanvas(graph.getElementPosition(id));
      return [point[0], point[1]];
    }
  };
  window.__aliGraph = state;

  function rendered(shown) {
    canvas.dataset.shownNodes = String(shown.nodes.length);
    canvas.dataset.shownEdges = String(shown.edges.length);
    return function () {
      // G6 makes its canvases focusable with a positive tabindex; the graph is for the mouse
      // (the list below is the keyboard's and screen readers' way), so they leave the tab order.
      canvas.querySelectorAll("canvas").forEach(function (item) {
        item.setAttribute("tabindex", "-1");
      });
      return Promise.resolve(graph.fitView()).then(function () { state.layoutDone = true; });
    };
  }

  function draw() {
    var shown = visibleData();
    state.layoutDone = false;
    if (graph) {
      graph.setData(shown);
      graph.render().then(rendered(shown));
      return;
    }
    graph = new window.G6.Graph({
      container: canvas,
      width: canvas.clientWidth,
      height: canvas.clientHeight,
      autoFit: "view",
      data: shown,
      node: { type: "circle", style: { size: 22 } },
      edge: { type: data.mode === "categories" ? "quadratic" : "line" },
      animation: false,
      // The overview's few category nodes need room for their long labels.
      layout: data.mode === "categories"
        ? { type: "circular" }
        : { type: "d3-force", link: { distance: 70 }, collide: { radius: 30 },
            manyBody: { strength: -25 }, x: { strength: 0.06 }, y: { strength: 0.08 } },
      behaviors: ["drag-canvas", "zoom-canvas", "drag-element"]
    });
    graph.on("node:click", function (event) {
      var id = event.target && event.target.id;
      var node = data.nodes.find(function (item) { return item.id === id; });
      if (node) window.location.assign(node.url);
    });
    graph.render().then(rendered(shown));
  }

  fetch(canvas.dataset.graphUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
    .then(function (payload) {
      data = payload;
      canvas.hidden = false;
      filters.hidden = false;
      draw();
      canvas.dataset.ready = "1";
    })
    .catch(function () { canvas.hidden = true; });

  filters.addEventListener("change", function () { if (data) draw(); });
})();
