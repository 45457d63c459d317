// Progressive enhancements for the filter panel. Without JavaScript the panel works the same (sent closed: a tap
// opens it on a phone, find.css shows it on a wide screen) and the server redirects a filter URL with empty
// fields to the clean one (cases/find/listing.py).
(function () {
  "use strict";
  // Empty fields (a year left blank) and the default order are not sent: the address shows only the filters
  // applied.
  document.querySelectorAll("form.find-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input[name], select[name]").forEach(function (field) {
        if (field.disabled || field.type === "checkbox" || field.type === "radio") {
          return;
        }
        if (field.value.trim() === "" || field.value === field.getAttribute("data-default")) {
          field.disabled = true;
        }
      });
    });
  });
  // The panel is sent closed (a phone shows the results first) and find.css shows its form on a wide screen from
  // the first paint. Marking it open there too tells assistive technology the truth; it moves nothing.
  if (window.matchMedia && window.matchMedia("(min-width: 56rem)").matches) {
    document.querySelectorAll("details.find-panel:not([open])").forEach(function (panel) {
      panel.open = true;
    });
  }
})();
