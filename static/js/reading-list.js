/* Drag and drop for reading lists: an enhancement of the "Move to position" forms, which work without it.
   Dropping an item on another fills in that item's position and submits the same form. */
(function () {
  "use strict";
  var list = document.querySelector("[data-reorder]");
  if (!list || !("draggable" in document.createElement("li"))) return;
  var items = Array.prototype.slice.call(list.querySelectorAll(".reading-item"));
  if (items.length < 2) return;
  var dragged = null;
  list.classList.add("reading-items--sortable");

  function clearTargets() {
    items.forEach(function (item) { item.classList.remove("reading-item--drop-target"); });
  }

  items.forEach(function (item) {
    item.setAttribute("draggable", "true");
    item.addEventListener("dragstart", function (event) {
      dragged = item;
      item.classList.add("reading-item--dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", item.id);
    });
    item.addEventListener("dragend", function () {
      item.classList.remove("reading-item--dragging");
      clearTargets();
    });
    item.addEventListener("dragover", function (event) {
      if (!dragged || dragged === item) return;
      event.preventDefault();
      clearTargets();
      item.classList.add("reading-item--drop-target");
    });
    item.addEventListener("drop", function (event) {
      event.preventDefault();
      if (!dragged || dragged === item) return;
      var form = dragged.querySelector(".move-form--position");
      var input = form && form.querySelector("input[name=position]");
      if (!input) return;
      input.value = item.getAttribute("data-position");
      form.submit();
    });
  });
})();
