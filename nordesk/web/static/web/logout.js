// Logging out forgets the reply and note drafts this browser kept (ticket-live.js): on a
// shared computer the next person must not find a customer's words in a reply box.
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    if (!event.target.matches("[data-logout]")) return;
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf("nordesk:draft:") === 0) window.localStorage.removeItem(key);
      }
    } catch (error) {
      // Storage switched off: there is nothing to forget.
    }
  });
})();
