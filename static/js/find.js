// Progressive enhancements for the filter panel. Without JavaScript the panel stays open and the server
// redirects a filter URL with empty fields to the clean one (cases/find/listing.py).
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
  // On a narrow screen the panel starts closed, so the results come first (the active filters are listed
  // above them).
  if (window.matchMedia && window.matchMedia("(max-width: 55.99rem)").matches) {
    document.querySelectorAll("details.find-panel[open]").forEach(function (panel) {
      panel.open = false;
    });
  }
})();
