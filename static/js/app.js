// Confirmation for destructive actions: <form data-confirm="...">. Inline handlers are
// blocked by the Content-Security-Policy, so behaviour lives here.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var message = form.getAttribute && form.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
