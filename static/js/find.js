// Progressive enhancement for the filter panel: on a narrow screen it starts closed, so the results come
// first (the active filters are listed above them). Without JavaScript the panel simply stays open.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(max-width: 55.99rem)").matches) {
    return;
  }
  document.querySelectorAll("details.find-panel[open]").forEach(function (panel) {
    panel.open = false;
  });
})();
