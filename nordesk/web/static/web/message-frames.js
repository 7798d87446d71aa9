// Message HTML is shown in sandboxed frames where no script runs (see message_frames.py). This
// sizes each frame to its content and, when the agent asks, swaps in the document the server
// wrote with remote images allowed. It never builds HTML itself: it only picks between two.
(function () {
  "use strict";

  var FRAME = "iframe[data-message-frame]";

  function fit(frame) {
    // The frame shares our origin (allow-same-origin, and no scripts inside), so its height
    // can be read from here; until its document has loaded it holds an empty about:blank.
    var doc = frame.contentDocument;
    if (doc && doc.documentElement && doc.location.href === "about:srcdoc") {
      frame.style.height = doc.documentElement.scrollHeight + "px";
    }
  }

  function fitAll() {
    document.querySelectorAll(FRAME).forEach(fit);
  }

  function reveal(root) {
    root.querySelectorAll("[data-show-remote-images][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  // A frame's load event does not bubble, but capturing on the document sees every one,
  // including frames htmx swaps in later.
  document.addEventListener(
    "load",
    function (event) {
      if (event.target.matches && event.target.matches(FRAME)) fit(event.target);
    },
    true
  );
  window.addEventListener("resize", fitAll);

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-show-remote-images]");
    if (!button) return;
    var frame = document.getElementById(button.getAttribute("aria-controls"));
    if (!frame || !frame.hasAttribute("data-remote-srcdoc")) return;
    frame.srcdoc = frame.getAttribute("data-remote-srcdoc");
    frame.removeAttribute("data-remote-srcdoc");
    var status = document.getElementById(button.getAttribute("data-status"));
    button.remove();
    if (status) {
      status.textContent = status.getAttribute("data-shown-text");
      status.focus();
    }
  });

  document.addEventListener("htmx:load", function (event) {
    reveal(event.target);
  });
  // htmx settles a swapped element's style back to the server's after a moment, which drops
  // a height set when its frame loaded first.
  document.addEventListener("htmx:afterSettle", fitAll);
  reveal(document);
  fitAll();
})();
