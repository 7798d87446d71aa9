{% load i18n %}{% autoescape off %}/* Nordesk contact widget: a button that opens the contact form in a frame. No other scripts. */
(function () {
  "use strict";
  var embedUrl = "{{ embed_url|escapejs }}";
  var script = document.currentScript;
  var label = (script && script.getAttribute("data-label")) || "{{ _('Contact us')|escapejs }}";
  var closeLabel = "{{ _('Close')|escapejs }}";
  function open() {
    var dialog = document.createElement("dialog");
    dialog.setAttribute("aria-label", label);
    dialog.style.cssText = "padding:0;border:0;border-radius:8px;width:min(34rem,96vw);height:min(44rem,90vh);box-shadow:0 8px 32px rgba(0,0,0,.3)";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = closeLabel;
    close.style.cssText = "position:absolute;top:.5rem;right:.5rem;font:inherit;padding:.25rem .6rem;cursor:pointer";
    close.addEventListener("click", function () { dialog.close(); });
    var frame = document.createElement("iframe");
    frame.src = embedUrl;
    frame.title = label;
    frame.style.cssText = "border:0;width:100%;height:100%";
    dialog.appendChild(frame);
    dialog.appendChild(close);
    dialog.addEventListener("close", function () { dialog.remove(); });
    document.body.appendChild(dialog);
    dialog.showModal();
  }
  var button = document.createElement("button");
  button.type = "button";
  button.textContent = label;
  button.setAttribute("data-nordesk-widget", "");
  button.style.cssText = "position:fixed;right:1rem;bottom:1rem;z-index:2147483000;font:600 1rem/1.2 system-ui,sans-serif;padding:.75rem 1.1rem;border:0;border-radius:999px;background:#1d4ed8;color:#fff;cursor:pointer";
  button.addEventListener("click", open);
  function add() { document.body.appendChild(button); }
  if (document.body) { add(); } else { document.addEventListener("DOMContentLoaded", add); }
})();
{% endautoescape %}
