// The filter panel is sent closed (a phone shows the results first) and find.css shows its form on a wide screen
// from the first paint. This only marks it open there too, so the summary tells assistive technology the truth;
// it moves nothing on the page. Without JavaScript the panel works the same.
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(min-width: 56rem)").matches) {
    return;
  }
  document.querySelectorAll("details.find-panel:not([open])").forEach(function (panel) {
    panel.open = true;
  });
})();
