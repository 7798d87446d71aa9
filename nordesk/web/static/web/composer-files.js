// Files for a reply or note: dropped on the form or chosen, listed under the field with their
// size and a button to take each off again before sending. The <input type="file"> stays the
// one source of truth (dropped files are added to it), so the form posts as it would without
// this script. Delegated from the document: htmx swaps the forms after every action.
(function () {
  "use strict";

  var INPUT = 'input[type="file"][data-attachments]';

  function inputOf(form) {
    return form ? form.querySelector(INPUT) : null;
  }

  // As Django's filesizeformat writes it in the thread: the unit from the input's translated
  // data-text-* sentences, one decimal in the page's language ("1,5 KB" in Norwegian).
  function size(input, bytes) {
    var text = input.dataset;
    if (bytes < 1024) {
      return (bytes === 1 ? text.textByte : text.textBytes).replace("%(size)d", String(bytes));
    }
    var number = new Intl.NumberFormat(document.documentElement.lang || undefined, {
      minimumFractionDigits: 1, maximumFractionDigits: 1
    });
    if (bytes < 1024 * 1024) return text.textKb.replace("%s", number.format(bytes / 1024));
    return text.textMb.replace("%s", number.format(bytes / (1024 * 1024)));
  }

  function setFiles(input, files) {
    var transfer = new DataTransfer();
    files.forEach(function (file) { transfer.items.add(file); });
    input.files = transfer.files;
    render(input);
  }

  function render(input) {
    var list = input.parentElement.querySelector("[data-chosen-files]");
    if (!list) {
      list = document.createElement("ul");
      list.className = "chosen-files";
      list.setAttribute("data-chosen-files", "");
      input.insertAdjacentElement("afterend", list);
    }
    list.textContent = "";
    Array.prototype.forEach.call(input.files, function (file, index) {
      var item = document.createElement("li");
      item.textContent = file.name + " (" + size(input, file.size) + ") ";
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "button button--quiet";
      remove.setAttribute("data-remove-file", String(index));
      remove.setAttribute("aria-label", input.dataset.textRemove.replace("{name}", file.name));
      remove.textContent = "×";
      item.appendChild(remove);
      list.appendChild(item);
    });
  }

  function hasFiles(event) {
    return event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0;
  }

  ["dragenter", "dragover"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target.closest && event.target.closest("form");
      if (!inputOf(form) || !hasFiles(event)) return;
      event.preventDefault();
      form.classList.add("is-dropping");
    });
  });

  document.addEventListener("dragleave", function (event) {
    var form = event.target.closest && event.target.closest("form");
    if (form && !form.contains(event.relatedTarget)) form.classList.remove("is-dropping");
  });

  document.addEventListener("drop", function (event) {
    var form = event.target.closest && event.target.closest("form");
    var input = inputOf(form);
    if (!input || !hasFiles(event)) return;
    event.preventDefault();
    form.classList.remove("is-dropping");
    setFiles(input, Array.prototype.slice.call(input.files).concat(
      Array.prototype.slice.call(event.dataTransfer.files)));
  });

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches(INPUT)) render(event.target);
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-remove-file]");
    if (!button) return;
    var input = inputOf(button.closest("form"));
    var keep = Array.prototype.filter.call(input.files, function (file, index) {
      return index !== Number(button.getAttribute("data-remove-file"));
    });
    setFiles(input, keep);
    input.focus();
  });
})();
