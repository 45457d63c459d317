/* Network enhancement: hovering or focusing an organisation highlights its links and neighbours.
   Without this file the drawing and the table say everything. */
(function () {
  "use strict";
  // The network is drawn twice (a wide screen's layout and a phone's): each drawing highlights on its own.
  document.querySelectorAll(".network-svg").forEach(enhance);

  function enhance(svg) {
    var edges = Array.prototype.slice.call(svg.querySelectorAll(".edge"));
    var nodes = Array.prototype.slice.call(svg.querySelectorAll(".node"));
    function highlight(slug) {
      var neighbours = {};
      neighbours[slug] = true;
      edges.forEach(function (edge) {
        var from = edge.getAttribute("data-from");
        var to = edge.getAttribute("data-to");
        var linked = from === slug || to === slug;
        edge.classList.toggle("is-active", linked);
        if (linked) { neighbours[from] = true; neighbours[to] = true; }
      });
      svg.classList.add("is-focused");
      nodes.forEach(function (node) {
        node.classList.toggle("is-active", !!neighbours[node.getAttribute("data-slug")]);
      });
    }
    function clear() {
      svg.classList.remove("is-focused");
      edges.concat(nodes).forEach(function (el) { el.classList.remove("is-active"); });
    }
    nodes.forEach(function (node) {
      var slug = node.getAttribute("data-slug");
      node.addEventListener("mouseenter", function () { highlight(slug); });
      node.addEventListener("focus", function () { highlight(slug); });
      node.addEventListener("mouseleave", clear);
      node.addEventListener("blur", clear);
    });

  }
})();
