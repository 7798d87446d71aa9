// Keyboard shortcuts of the workspace (the "?" dialog lists them). Keys are read on the
// document and the page's elements are looked up on every key press, because htmx replaces
// the inbox list and the ticket page's <main> after each action. Nothing fires while the agent
// types in a field or holds Ctrl, Alt or Meta — except Ctrl/⌘+Enter, which sends the reply or
// note being written.
(function () {
  "use strict";

  var ROWS = '#inbox-list table.tickets tr[id^="ticket-row-"]';
  var SELECTED = "is-selected";
  var selectedId = null; // the selected inbox row's id, kept across list refreshes

  var NOT_TYPING = ["checkbox", "radio", "button", "submit", "reset", "file", "color", "range"];

  function typingIn(target) {
    if (!(target instanceof Element)) return false;
    if (target instanceof HTMLInputElement) return NOT_TYPING.indexOf(target.type) === -1;
    return target.closest("textarea, select") !== null || target.isContentEditable;
  }

  // --- inbox rows -------------------------------------------------------------------------

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll(ROWS));
  }

  function rowLink(row) {
    return row.querySelector("td.col-subject a");
  }

  function select(row) {
    rows().forEach(function (other) {
      other.classList.remove(SELECTED);
      other.removeAttribute("aria-selected");
    });
    if (!row) return;
    selectedId = row.id;
    row.classList.add(SELECTED);
    row.setAttribute("aria-selected", "true");
    row.scrollIntoView({ block: "nearest" });
    var link = rowLink(row);
    if (link) link.focus({ preventScroll: true });
  }

  function move(step) {
    var all = rows();
    if (!all.length) return false;
    var current = all.findIndex(function (row) {
      return row.id === selectedId;
    });
    var next = current === -1 ? (step > 0 ? 0 : all.length - 1) : current + step;
    select(all[Math.max(0, Math.min(all.length - 1, next))]);
    return true;
  }

  function openSelected() {
    var row = selectedId && document.getElementById(selectedId);
    var link = row && rowLink(row);
    if (!link) return false;
    link.click();
    return true;
  }

  // A refreshed list keeps the selection on the same ticket when it is still there.
  document.addEventListener("htmx:afterSettle", function () {
    var row = selectedId && document.getElementById(selectedId);
    if (row && !row.classList.contains(SELECTED)) {
      row.classList.add(SELECTED);
      row.setAttribute("aria-selected", "true");
    }
  });

  // --- ticket page ------------------------------------------------------------------------

  function focusField(id) {
    var field = document.getElementById(id);
    if (!field) return false;
    field.focus();
    field.scrollIntoView({ block: "nearest" });
    return true;
  }

  function submitForm(id) {
    var form = document.getElementById(id);
    if (!form) return false;
    form.requestSubmit();
    return true;
  }

  // Solving goes through the status form; what is in the reply and note boxes stays in their
  // drafts (ticket-live.js) while htmx swaps the page.
  function solve() {
    var select = document.getElementById("status-status");
    if (!select || !select.querySelector('option[value="solved"]')) return false;
    select.value = "solved";
    return submitForm("status-form");
  }

  // --- everywhere -------------------------------------------------------------------------

  function focusSearch() {
    var field = document.getElementById("global-search") || document.getElementById("filter-q");
    if (!field) return false;
    field.focus();
    if (field.select) field.select();
    return true;
  }

  var opener = null;

  function openHelp() {
    var dialog = document.getElementById("shortcuts-dialog");
    if (!dialog || dialog.open) return false;
    opener = document.activeElement;
    dialog.showModal();
    return true;
  }

  document.addEventListener(
    "close",
    function (event) {
      if (event.target.id === "shortcuts-dialog" && opener && opener.focus) {
        opener.focus();
        opener = null;
      }
    },
    true
  );

  var KEYS = {
    j: function () {
      return move(1);
    },
    k: function () {
      return move(-1);
    },
    Enter: openSelected,
    r: function () {
      return focusField("reply-text");
    },
    n: function () {
      return focusField("note-text");
    },
    a: function () {
      var button = document.getElementById("assign-me");
      if (!button) return false;
      button.click();
      return true;
    },
    s: solve,
    "/": focusSearch,
    "?": openHelp,
  };

  function sendWithKeyboard(event) {
    var target = event.target;
    if (event.key !== "Enter" || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    if (!(target instanceof HTMLTextAreaElement) || !target.form) return;
    if (target.id !== "reply-text" && target.id !== "note-text") return;
    event.preventDefault();
    target.form.requestSubmit();
  }

  document.addEventListener("keydown", function (event) {
    sendWithKeyboard(event);
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.isComposing || typingIn(event.target)) return;
    var dialog = document.getElementById("shortcuts-dialog");
    if (dialog && dialog.open) return;
    // Enter on a link or button is theirs: only a bare page hands Enter to the selection.
    if (event.key === "Enter" && event.target !== document.body) return;
    var action = KEYS[event.key];
    if (action && action()) event.preventDefault();
  });
})();
