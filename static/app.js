/* replyflow: small behaviours without inline script (the Content-Security-Policy allows none). */
(function () {
  // forms that ask before they go: <form data-confirm="...">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  }, true);

  // <button data-print>: print the page
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) {
      window.print();
    }
  });

  // parts shown by a radio choice: data-show-if="mode=split", data-show-unless="mode=split"
  function sync() {
    document.querySelectorAll("[data-show-if], [data-show-unless]").forEach(function (el) {
      var rule = el.getAttribute("data-show-if") || el.getAttribute("data-show-unless");
      var name = rule.split("=")[0], value = rule.split("=")[1];
      var checked = document.querySelector('input[name="' + name + '"]:checked');
      var match = checked !== null && checked.value === value;
      el.hidden = el.hasAttribute("data-show-if") ? !match : match;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.type === "radio") { sync(); }
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
