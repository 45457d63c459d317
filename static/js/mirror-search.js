// Search in the static copy of the archive (the mirror's search page only). Served over HTTP it runs Pagefind's
// interface on the index built into the copy; opened from a disk (file://), where browsers refuse the fetch()
// Pagefind loads its index with, it searches the plain-script index beside this page (titles and the beginning of
// each page's text) instead.
(function () {
  "use strict";
  var box = document.querySelector(".mirror-search");
  if (!box) {
    return;
  }
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href).href;
  var form = box.querySelector(".mirror-search__form");
  var input = box.querySelector("#mirror-search-q");
  var results = document.getElementById("mirror-search-results");
  var query = new URLSearchParams(window.location.search).get("q") || "";
  input.value = query;

  if (window.location.protocol !== "file:" && typeof window.PagefindUI === "function") {
    form.hidden = true;
    var ui = new window.PagefindUI({
      element: "#mirror-search-ui",
      baseUrl: root,
      showImages: false,
      showSubResults: false,
      resetStyles: false
    });
    if (query) {
      ui.triggerSearch(query);
    }
    // Pagefind's box has a title but no label: give it the label of the form it replaces.
    var label = box.querySelector("label[for=mirror-search-q]").textContent;
    var area = document.getElementById("mirror-search-ui");
    var name = function () {
      var field = area.querySelector(".pagefind-ui__search-input");
      if (field && !field.hasAttribute("aria-label")) {
        field.setAttribute("aria-label", label);
      }
    };
    new MutationObserver(name).observe(area, { childList: true, subtree: true });
    name();
    return;
  }

  function show(items) {
    results.textContent = "";
    var heading = document.createElement("h2");
    heading.textContent = items.length ? box.getAttribute("data-results") : box.getAttribute("data-no-results");
    results.appendChild(heading);
    if (!items.length) {
      return;
    }
    var list = document.createElement("ol");
    items.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = root + item.u;
      link.textContent = item.t;
      var text = document.createElement("p");
      text.textContent = item.x.length > 240 ? item.x.slice(0, 240) + "…" : item.x;
      li.appendChild(link);
      li.appendChild(text);
      list.appendChild(li);
    });
    results.appendChild(list);
  }

  function search(index) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) {
      return;
    }
    var found = [];
    index.forEach(function (item) {
      var title = item.t.toLowerCase();
      var text = item.x.toLowerCase();
      var score = 0;
      for (var i = 0; i < terms.length; i += 1) {
        var inTitle = title.indexOf(terms[i]) !== -1;
        if (!inTitle && text.indexOf(terms[i]) === -1) {
          return;
        }
        score += inTitle ? 10 : 1;
      }
      found.push({ item: item, score: score });
    });
    found.sort(function (a, b) {
      return b.score - a.score || (a.item.t < b.item.t ? -1 : 1);
    });
    show(found.slice(0, 100).map(function (entry) { return entry.item; }));
  }

  if (!query) {
    return;
  }
  var script = document.createElement("script");
  script.src = "fallback-index.js";
  script.addEventListener("load", function () {
    search(window.mirrorSearchIndex || []);
  });
  document.body.appendChild(script);
})();
