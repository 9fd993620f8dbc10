// The kiosk's few behaviours. A form is sent once: a second click while the
// first is on its way does nothing (the server refuses a ballot sent twice
// in any case). A link marked data-replace leaves the page out of the
// history, and a page marked data-return-after goes back to the voter's
// screen by itself after that many seconds, so that a voucher is not left
// on the screen or in the history for the next voter. A page marked
// data-state follows the voter's screen: it asks the kiosk for the
// screen's state (GET /state) every second or two, and loads the screen
// (/, in the browser's language) when it changes — the poll worker enabled
// a ballot, cancelled it, or opened or closed the polls — unless a form of
// the page is on its way: the page that answers it (the voucher, once the
// vote is cast) comes next, not the screen. Without scripts, reloading the
// page does the same.
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
  var watched = document.querySelector("[data-state]");
  if (watched) {
    var poll = function () {
      fetch("/state", { cache: "no-store" }).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.text();
      }).then(function (state) {
        if (document.querySelector("form[data-sent]")) return;
        if (state.trim() !== watched.dataset.state) {
          location.replace("/");
          return;
        }
        setTimeout(poll, 1000);
      }).catch(function () { setTimeout(poll, 3000); });
    };
    setTimeout(poll, 1000);
  }
})();
