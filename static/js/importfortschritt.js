// Import job page: poll the job's progress and show it; reload when the worker is done.
// Without JavaScript the page offers a link to refresh it by hand.
(function () {
  "use strict";
  var box = document.querySelector("[data-stand-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-stand-url");
  var bar = box.querySelector("progress");
  var polls = 0;
  var zahl = new Intl.NumberFormat("de-DE");

  function setText(name, value) {
    var el = box.querySelector('[data-feld="' + name + '"]');
    if (el) { el.textContent = value; }
  }

  function show(stand) {
    setText("zeilen", zahl.format(stand.zeilen));
    setText("fehler", zahl.format(stand.fehler));
    if (stand.geschaetzt) {
      setText("geschaetzt", zahl.format(stand.geschaetzt));
      bar.max = stand.geschaetzt;
      bar.value = Math.min(stand.zeilen, stand.geschaetzt);
    }
    if (polls % 10 === 0) {  // a screen reader hears the state every ten seconds, not every second
      setText("ansage", zahl.format(stand.zeilen) + " Zeilen gelesen, " +
        zahl.format(stand.fehler) + " Fehler bisher.");
    }
  }

  function poll() {
    polls += 1;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (stand) {
        if (!stand) { return; }
        if (!stand.laeuft) { window.location.reload(); return; }
        show(stand);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 1000);
})();
