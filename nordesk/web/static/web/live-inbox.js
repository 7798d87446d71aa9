// Live inbox: listens on the agent's WebSocket and asks htmx to re-fetch the inbox list when a
// ticket changes, and shows the agent's notifications as they come. The server decides who
// hears what; this only turns an event into a refresh or a notice.
(function () {
  "use strict";

  var root = document.querySelector("[data-live-inbox]");
  if (!root || !("WebSocket" in window)) {
    return;
  }
  var status = document.querySelector("[data-live-status]");
  var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
  var url = scheme + window.location.host + root.getAttribute("data-live-url");
  var retryMs = 1000;

  var refreshTimer = null;

  // A burst of changes is one refresh, a quarter of a second after the first. The list is
  // looked up when it is fetched, not when the change came: a filter may have replaced it
  // meanwhile, and a list htmx has only just swapped in would not hear an event yet.
  function refresh() {
    if (refreshTimer !== null || !window.htmx) return;
    refreshTimer = window.setTimeout(function () {
      refreshTimer = null;
      var target = document.querySelector(root.getAttribute("data-live-target"));
      if (target) {
        window.htmx.ajax("GET", target.getAttribute("data-refresh-url"), {
          target: target,
          swap: "outerHTML",
        });
      }
    }, 250);
  }

  // An automation told this agent something: count it in the header and say it once.
  function notify(text) {
    var badge = document.querySelector("[data-notification-count]");
    if (badge) {
      badge.textContent = String((parseInt(badge.textContent, 10) || 0) + 1);
      badge.hidden = false;
    }
    var notice = document.querySelector("[data-live-notice]");
    if (notice) {
      notice.textContent = text;
      notice.hidden = false;
    }
  }

  function connect() {
    var socket = new WebSocket(url);
    socket.addEventListener("open", function () {
      retryMs = 1000;
      if (status) status.hidden = false;
    });
    socket.addEventListener("message", function (event) {
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (data && data.type === "ticket") {
        refresh();
      } else if (data && data.type === "notification") {
        notify(data.text);
      }
    });
    socket.addEventListener("close", function (event) {
      if (status) status.hidden = true;
      // 4401: not an agent (or logged out); retrying would not help.
      if (event.code === 4401) return;
      window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    });
  }

  connect();
})();
