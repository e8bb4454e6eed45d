/* replyflow: small behaviours without inline script. */
(function () {
  // forms that ask before they go: <form data-confirm="...">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);
})();
