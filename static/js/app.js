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

// Print buttons: <button data-print>.
document.addEventListener("click", function (event) {
  if (event.target.closest && event.target.closest("[data-print]")) { window.print(); }
});
