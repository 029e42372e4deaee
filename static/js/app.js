// Confirmation for destructive actions: <form data-confirm="...">. Inline handlers are
// blocked by the Content-Security-Policy, so behaviour lives here.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute && form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Facet lists longer than their limit: a button shows or hides the rest.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".facet-toggle");
  if (!button) { return; }
  var list = button.previousElementSibling;
  var expanded = button.getAttribute("aria-expanded") === "true";
  list.querySelectorAll(".facet-more").forEach(function (item) { item.classList.toggle("d-none", expanded); });
  button.setAttribute("aria-expanded", expanded ? "false" : "true");
  button.textContent = expanded ? button.dataset.more : button.dataset.less;
});

// A form sent back with mistakes: the first field marked invalid takes the focus, so that a screen
// reader reads its label and its error (aria-describedby) and a keyboard user starts there.
(function () {
  var first = document.querySelector("main [aria-invalid=true]");
  if (first) { first.focus(); }
})();

// Print buttons: <button data-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
});

// A chart's table (<details class="chart-data">) is printed under it, open.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.chart-data").forEach(function (details) { details.open = true; });
});

// A thread page marks the member's notifications about it read once it is shown, by posting its
// <form data-mark-read> (opening a page writes nothing); the inbox badge then shows what is left.
(function () {
  var form = document.querySelector("form[data-mark-read]");
  if (!form) { return; }
  function markRead() {
    document.removeEventListener("visibilitychange", whenShown);
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(function (answer) {
      var badge = document.querySelector("[data-inbox-unread]");
      if (!answer || !badge) { return; }
      if (answer.unread > 0) {
        badge.firstChild.nodeValue = String(answer.unread);
      } else {
        badge.remove();
      }
    }).catch(function () { /* offline: the notifications stay unread until the member acts */ });
  }
  function whenShown() {
    if (document.visibilityState === "visible") { markRead(); }
  }
  if (document.visibilityState === "visible") {
    markRead();
  } else {
    document.addEventListener("visibilitychange", whenShown);
  }
})();
