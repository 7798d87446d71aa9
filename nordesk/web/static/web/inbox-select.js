// The inbox's tick boxes: "tick all" for the page, the number ticked on the bulk button, and
// the ticks kept when the live inbox or a filter re-renders the list.
(function () {
  "use strict";

  var ticked = new Set();

  function boxes() {
    return document.querySelectorAll('#inbox-list input[name="tickets"]');
  }

  function show() {
    var count = document.querySelector("[data-bulk-count]");
    if (count) count.textContent = ticked.size ? "(" + ticked.size + ")" : "";
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("[data-select-all]")) {
      boxes().forEach(function (each) {
        each.checked = box.checked;
        if (box.checked) ticked.add(each.value);
        else ticked.delete(each.value);
      });
    } else if (box.matches('input[name="tickets"]')) {
      if (box.checked) ticked.add(box.value);
      else ticked.delete(box.value);
    }
    show();
  });

  document.addEventListener("htmx:afterSwap", function () {
    var present = new Set();
    boxes().forEach(function (box) {
      present.add(box.value);
      box.checked = ticked.has(box.value);
    });
    ticked.forEach(function (value) {
      if (!present.has(value)) ticked.delete(value);
    });
    show();
  });
})();
