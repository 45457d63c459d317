/* Timeline enhancements: zoom to a range of years, and details on hover or focus.
   Progressive: without this file every event is listed and every mark links to its case. */
(function () {
  "use strict";

  // The timeline of all cases: a year-range zoom over the year sections.
  var overview = document.getElementById("timeline-overview");
  var years = document.getElementById("timeline-years");
  if (overview && years) {
    var first = parseInt(overview.getAttribute("data-first"), 10);
    var last = parseInt(overview.getAttribute("data-last"), 10);
    if (last > first) {
      var status = document.createElement("p");
      status.className = "zoom__status meta";
      status.setAttribute("aria-live", "polite");

      var zoom = document.createElement("div");
      zoom.className = "zoom";
      // The words come from the page (data-label-*, data-status-*), so they are in the page's language.
      var words = function (name, fallback) { return overview.getAttribute("data-" + name) || fallback; };
      var from = rangeInput("zoom-from", words("label-from", "From"), first);
      var to = rangeInput("zoom-to", words("label-to", "To"), last);
      var reset = document.createElement("button");
      reset.type = "button";
      reset.className = "button button--quiet";
      reset.textContent = words("label-all", "All years");
      zoom.appendChild(from.wrap);
      zoom.appendChild(to.wrap);
      zoom.appendChild(reset);
      overview.appendChild(zoom);
      overview.appendChild(status);

      var apply = function () {
        var a = Math.min(from.input.valueAsNumber, to.input.valueAsNumber);
        var b = Math.max(from.input.valueAsNumber, to.input.valueAsNumber);
        from.output.textContent = a;
        to.output.textContent = b;
        var shown = 0;
        years.querySelectorAll("section[data-year]").forEach(function (section) {
          var y = parseInt(section.getAttribute("data-year"), 10);
          var inside = y >= a && y <= b;
          section.hidden = !inside;
          if (inside) shown += section.querySelectorAll("li").length;
        });
        overview.querySelectorAll(".axis__link[data-year]").forEach(function (mark) {
          var y = parseInt(mark.getAttribute("data-year"), 10);
          mark.classList.toggle("is-dimmed", y < a || y > b);
        });
        overview.querySelectorAll(".case-row").forEach(function (row) {
          var outside = parseInt(row.getAttribute("data-last"), 10) < a || parseInt(row.getAttribute("data-first"), 10) > b;
          row.classList.toggle("is-dimmed", outside);
        });
        var template = shown === 1
          ? words("status-one", "Showing {from}–{to}: {count} event on this page.")
          : words("status-many", "Showing {from}–{to}: {count} events on this page.");
        status.textContent = template.replace("{from}", a).replace("{to}", b).replace("{count}", shown);
      };
      from.input.addEventListener("input", apply);
      to.input.addEventListener("input", apply);
      reset.addEventListener("click", function () {
        from.input.value = first;
        to.input.value = last;
        apply();
      });
      from.output.textContent = first;
      to.output.textContent = last;
    }
  }

  function rangeInput(id, label, value) {
    var wrap = document.createElement("div");
    wrap.className = "zoom__field";
    var lab = document.createElement("label");
    lab.htmlFor = id;
    lab.textContent = label + " ";
    var output = document.createElement("output");
    output.htmlFor = id;
    lab.appendChild(output);
    var input = document.createElement("input");
    input.type = "range";
    input.id = id;
    input.min = first;
    input.max = last;
    input.step = 1;
    input.value = value;
    wrap.appendChild(lab);
    wrap.appendChild(input);
    return { wrap: wrap, input: input, output: output };
  }

  // A case's timeline: hovering or focusing an event highlights its mark, and the reverse. The axis is drawn
  // twice (a desk's width and a phone's), so an event has a mark in each.
  document.querySelectorAll(".case-timeline").forEach(function (section) {
    var marks = {};
    section.querySelectorAll(".axis__link").forEach(function (link) {
      var target = link.getAttribute("data-target");
      (marks[target] = marks[target] || []).push(link);
    });
    section.querySelectorAll(".timeline__event[id]").forEach(function (item) {
      var links = marks[item.id];
      if (!links) return;
      var on = function () {
        links.forEach(function (mark) { mark.classList.add("is-active"); });
        item.classList.add("is-active");
      };
      var off = function () {
        links.forEach(function (mark) { mark.classList.remove("is-active"); });
        item.classList.remove("is-active");
      };
      item.addEventListener("mouseenter", on);
      item.addEventListener("mouseleave", off);
      item.addEventListener("focusin", on);
      item.addEventListener("focusout", off);
      links.forEach(function (mark) {
        mark.addEventListener("mouseenter", on);
        mark.addEventListener("mouseleave", off);
      });
    });
  });
})();
