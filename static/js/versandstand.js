// Meeting page: while invitations are being created, ask the server every two seconds and
// reload the page once they are sent. Without JavaScript the notice offers a reload link.
(function () {
  "use strict";
  var box = document.querySelector("[data-versand-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-versand-url");
  var link = box.querySelector(".nur-ohne-js");
  if (link) { link.hidden = true; }
  var polls = 0;

  function poll() {
    polls += 1;
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (stand) {
        if (stand && !stand.ausstehend) { window.location.reload(); return; }
        if (polls < 300) { window.setTimeout(poll, 2000); } else if (link) { link.hidden = false; }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }

  window.setTimeout(poll, 2000);
})();
