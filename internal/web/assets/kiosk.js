// The kiosk's few behaviours. Everything works without them; they make it
// kinder. A form is sent once: a second click while the first is on its way
// does nothing (the server refuses a ballot sent twice in any case). The
// print button prints the page, which prints the voucher alone. A link
// marked data-replace leaves the page out of the history, and a page marked
// data-return-after goes back to a new ballot by itself after that many
// seconds, so that a voucher is not left on the screen or in the history
// for the next voter.
(function () {
  "use strict";
  document.addEventListener("submit", function (e) {
    var f = e.target;
    if (f.dataset.sent) {
      e.preventDefault();
      return;
    }
    f.dataset.sent = "1";
    f.setAttribute("aria-busy", "true");
  });
  // A page brought back from the back-forward cache is loaded again.
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) location.reload();
  });
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("a[data-replace]").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      location.replace(a.href);
    });
  });
  var back = document.querySelector("[data-return-after]");
  if (back) {
    setTimeout(function () { location.replace("/"); }, 1000 * Number(back.dataset.returnAfter));
  }
})();
