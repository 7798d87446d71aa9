// Handle time: the agent's active time on this ticket page — the page visible, the window
// focused, and some input within the last minute — reported every five minutes and when the
// agent leaves, with navigator.sendBeacon (which outlives the page). Each report carries the
// visit's total so far under a key of its own: a repeated or overtaken report changes nothing.
(() => {
  "use strict";

  const panel = document.querySelector("[data-time-track]");
  if (!panel || !navigator.sendBeacon) return;

  const IDLE_AFTER_MS = 60 * 1000;
  const REPORT_EVERY_MS = 5 * 60 * 1000;
  const TICK_MS = 1000;

  const url = panel.dataset.timeUrl;
  const openedAt = panel.dataset.timeOpened;
  const session = window.crypto && crypto.randomUUID
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

  let activeMs = 0;
  let sentSeconds = 0;
  let lastTick = Date.now();
  let lastInput = Date.now();

  const isActive = (now) =>
    document.visibilityState === "visible" && document.hasFocus() && now - lastInput < IDLE_AFTER_MS;

  const tick = () => {
    const now = Date.now();
    // A throttled timer must not count the time it slept through.
    if (isActive(now)) activeMs += Math.min(now - lastTick, 2 * TICK_MS);
    lastTick = now;
  };

  const csrfToken = () => {
    // The panel is swapped by htmx with the rest of <main>: read the token when sending.
    const field = document.querySelector("#time-panel input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  };

  const report = () => {
    tick();
    const seconds = Math.floor(activeMs / 1000);
    if (seconds <= sentSeconds) return;
    const body = new URLSearchParams({
      csrfmiddlewaretoken: csrfToken(),
      session,
      seconds: String(seconds),
      opened_at: openedAt,
    });
    if (navigator.sendBeacon(url, body)) sentSeconds = seconds;
  };

  const touched = () => {
    lastInput = Date.now();
  };
  for (const type of ["keydown", "mousedown", "mousemove", "wheel", "scroll", "touchstart", "focus"]) {
    window.addEventListener(type, touched, { passive: true, capture: true });
  }

  setInterval(tick, TICK_MS);
  setInterval(report, REPORT_EVERY_MS);
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") report();
    else touched();
  });
  window.addEventListener("pagehide", report);
})();
