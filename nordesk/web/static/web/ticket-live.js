// The open ticket page: who else has the ticket open or is typing on it, a banner when a
// message arrives while the agent writes (the ticket's WebSocket, TicketConsumer), and the
// reply and note drafts kept in this browser as the agent types. htmx swaps <main> after each
// form, so everything here finds its elements again after a swap; the socket stays open.
(function () {
  "use strict";

  var ROOT = "[data-ticket-live]";
  var DRAFT_FIELDS = { reply: "reply-text", note: "note-text" };
  var TYPING_EVERY_MS = 3000; // how often a typing agent tells the others
  var TYPING_SHOWN_MS = 10000; // how long "is replying" stays without a new signal
  var NO_RETRY = [4401, 4403]; // not an agent, or not allowed on this ticket

  var first = document.querySelector(ROOT);
  if (!first) return;
  var ticketId = first.getAttribute("data-ticket-id");
  var userId = first.getAttribute("data-user-id");
  var socketPath = first.getAttribute("data-socket-path");
  var others = new Map(); // user id -> {name, form, until}
  var socket = null;
  var retryMs = 1000;
  var typingSentAt = 0;
  var sentSeen = 0;

  function root() {
    return document.querySelector(ROOT);
  }

  function text(name, values) {
    var template = (root() || first).getAttribute("data-text-" + name) || "";
    return template.replace("{name}", values.name);
  }

  function seen() {
    return parseInt((root() || first).getAttribute("data-seen"), 10) || 0;
  }

  // --- presence ---------------------------------------------------------------------------

  function renderPresence() {
    var list = document.getElementById("ticket-presence");
    if (!list) return;
    var now = Date.now();
    list.replaceChildren();
    others.forEach(function (other) {
      var typing = other.form && other.until > now;
      var item = document.createElement("li");
      item.className = "presence-item" + (typing ? " presence-item--typing" : "");
      var key = typing ? (other.form === "note" ? "noting" : "replying") : "viewing";
      item.textContent = text(key, other);
      list.appendChild(item);
    });
  }

  function onPresence(data) {
    var id = String(data.user_id);
    if (data.op === "left") {
      others.delete(id);
    } else if (data.op === "viewing") {
      others.set(id, others.get(id) || { name: data.name, form: null, until: 0 });
    } else if (data.op === "typing") {
      others.set(id, { name: data.name, form: data.form, until: Date.now() + TYPING_SHOWN_MS });
      window.setTimeout(renderPresence, TYPING_SHOWN_MS + 50);
    }
    renderPresence();
  }

  // --- new messages -----------------------------------------------------------------------

  function onNewMessage(data) {
    if (data.message_id <= seen()) return; // already on the page
    var banner = document.getElementById("live-banner");
    if (!banner) return;
    var line = banner.querySelector("[data-live-banner-text]");
    line.textContent = data.authors
      .map(function (author) {
        return text(author.kind === "replied" ? "replied" : "wrote", author);
      })
      .join(" ");
    banner.setAttribute("data-message-id", String(data.message_id));
    banner.hidden = false;
  }

  // --- the socket -------------------------------------------------------------------------

  function send(payload) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  function sendSeen() {
    var current = seen();
    if (current > sentSeen) {
      sentSeen = current;
      send({ type: "seen", message_id: current });
    }
  }

  function connect() {
    if (!("WebSocket" in window)) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    sentSeen = seen();
    socket = new WebSocket(scheme + window.location.host + socketPath + "?seen=" + sentSeen);
    socket.addEventListener("open", function () {
      retryMs = 1000;
    });
    socket.addEventListener("message", function (event) {
      var data;
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      if (data && data.type === "presence") onPresence(data);
      else if (data && data.type === "ticket" && data.op === "message") onNewMessage(data);
    });
    socket.addEventListener("close", function (event) {
      others.clear();
      renderPresence();
      if (NO_RETRY.indexOf(event.code) !== -1) return;
      window.setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 30000);
    });
  }

  function formOf(textarea) {
    for (var form in DRAFT_FIELDS) {
      if (DRAFT_FIELDS[form] === textarea.id) return form;
    }
    return null;
  }

  function typed(form) {
    var now = Date.now();
    if (now - typingSentAt < TYPING_EVERY_MS) return;
    typingSentAt = now;
    send({ type: "typing", form: form });
  }

  // --- drafts -----------------------------------------------------------------------------

  function draftKey(form) {
    return "nordesk:draft:" + userId + ":" + ticketId + ":" + form;
  }

  function storage(kind) {
    try {
      return window[kind];
    } catch (error) {
      return null; // storage disabled: drafts are simply not kept
    }
  }

  function status(form, key) {
    var line = document.querySelector('[data-draft-status="' + form + '"]');
    var words = key ? text(key, { name: "" }) : "";
    if (line && line.textContent !== words) line.textContent = words;
  }

  function saveDraft(form, value) {
    var local = storage("localStorage");
    if (!local) return;
    if (value.trim()) {
      local.setItem(draftKey(form), value);
      status(form, "draft-saved");
    } else {
      local.removeItem(draftKey(form));
      status(form, null);
    }
  }

  // The form's answer: sent (an empty box, no error) clears the draft; refused or held back
  // (the text is back in the box) keeps it; a fresh page restores it into an empty box.
  function restoreDrafts() {
    var local = storage("localStorage");
    var session = storage("sessionStorage");
    if (!local || !session) return;
    Object.keys(DRAFT_FIELDS).forEach(function (form) {
      var textarea = document.getElementById(DRAFT_FIELDS[form]);
      if (!textarea) return;
      var key = draftKey(form);
      var sent = session.getItem("nordesk:sent:" + key);
      session.removeItem("nordesk:sent:" + key);
      var refused = textarea.form && textarea.form.querySelector(".alert, .field--invalid");
      if (sent && !refused && !textarea.value.trim()) {
        local.removeItem(key);
        status(form, null);
        return;
      }
      var draft = local.getItem(key);
      if (textarea.value.trim()) {
        saveDraft(form, textarea.value);
      } else if (draft) {
        textarea.value = draft;
        status(form, "draft-restored");
      }
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.id ? formOf(event.target) : null;
    if (!form) return;
    saveDraft(form, event.target.value);
    typed(form);
  });

  document.addEventListener("submit", function (event) {
    var textarea = event.target.querySelector("textarea");
    var form = textarea ? formOf(textarea) : null;
    var session = storage("sessionStorage");
    if (form && session) session.setItem("nordesk:sent:" + draftKey(form), "1");
  });

  document.addEventListener("htmx:afterSettle", function () {
    restoreDrafts();
    renderPresence();
    sendSeen();
  });

  restoreDrafts();
  connect();
})();
