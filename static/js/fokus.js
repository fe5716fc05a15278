// After a submit, take keyboard and screen-reader focus to what the page has to say: the error
// summary of a refused form first, otherwise the status message (saved, sent, refused).
(function () {
  "use strict";
  function ziel() {
    return document.querySelector(".fehlerliste") || document.querySelector(".meldungen");
  }
  function fokus() {
    var el = ziel();
    if (!el) { return; }
    if (!el.hasAttribute("tabindex")) { el.setAttribute("tabindex", "-1"); }
    el.focus();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fokus);
  } else {
    fokus();
  }
})();
