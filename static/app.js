/* replyflow: small behaviours without inline script (the Content-Security-Policy allows none). */
(function () {
  // forms that ask before they go: <form data-confirm="what happens">, in the page's own dialog
  var pending = null;
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (!question || form.getAttribute("data-confirmed") === "1") { return; }
    event.preventDefault();
    var dialog = document.getElementById("confirm-dialog");
    if (!dialog || !window.bootstrap) {
      if (window.confirm(question)) { form.setAttribute("data-confirmed", "1"); form.submit(); }
      return;
    }
    pending = {form: form, button: event.submitter || null};
    dialog.querySelector("#confirm-text").textContent = question;
    var words = pending.button ? pending.button.textContent.trim() : "";
    dialog.querySelector("#confirm-ok").textContent = words ? "确定" + words : "确定";
    window.bootstrap.Modal.getOrCreateInstance(dialog).show();
  }, true);
  document.addEventListener("click", function (event) {
    if (!pending || !event.target.closest || !event.target.closest("#confirm-ok")) { return; }
    var form = pending.form, button = pending.button;
    pending = null;
    window.bootstrap.Modal.getOrCreateInstance(document.getElementById("confirm-dialog")).hide();
    form.setAttribute("data-confirmed", "1");
    if (form.requestSubmit) { form.requestSubmit(button || undefined); } else { form.submit(); }
  });

  // the browser's "Please fill out this field" speaks the browser's language: the page says it in Chinese
  document.addEventListener("invalid", function (event) {
    var el = event.target;
    if (el.validity && el.validity.valueMissing) {
      el.setCustomValidity(el.type === "radio" || el.type === "checkbox" || el.tagName === "SELECT" ? "请选择此项。"
        : el.type === "file" ? "请选择文件。" : "请填写此项。");
    }
  }, true);
  ["input", "change"].forEach(function (kind) {
    document.addEventListener(kind, function (event) {
      var el = event.target;
      if (el.setCustomValidity) { el.setCustomValidity(""); }
      if (el.type === "radio" && el.name) {
        document.querySelectorAll('input[type=radio][name="' + el.name + '"]').forEach(function (r) { r.setCustomValidity(""); });
      }
    }, true);
  });

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
    if (event.target.type === "file" && event.target.closest(".file-picker")) {
      var names = Array.prototype.map.call(event.target.files, function (f) { return f.name; });
      event.target.closest(".file-picker").querySelector(".file-names").textContent =
        names.length ? names.join("、") : "未选择文件";
    }
  });

  // dates typed as 2025-06-16, 2025/6/16, 20250616 or 2025年6月16日: say back which day it is
  var WEEKDAYS = "日一二三四五六";
  function readDate(text) {
    var m = /^\s*(\d{4})\s*[-\/.年]\s*(\d{1,2})\s*[-\/.月]\s*(\d{1,2})\s*日?\s*$/.exec(text) ||
            /^\s*(\d{4})(\d{2})(\d{2})\s*$/.exec(text);
    if (!m) { return null; }
    var d = new Date(+m[1], +m[2] - 1, +m[3]);
    return d.getMonth() === +m[2] - 1 && d.getDate() === +m[3] ? d : null;
  }
  function echoDate(input) {
    var echo = input.nextElementSibling;
    if (!echo || !echo.classList.contains("date-echo")) {
      echo = document.createElement("div");
      echo.className = "date-echo form-text mt-0 mb-1";
      echo.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", echo);
    }
    var text = input.value.trim(), d = readDate(text);
    echo.textContent = !text ? "" : d ? "即 " + d.getFullYear() + "年" + (d.getMonth() + 1) + "月" + d.getDate() +
      "日（星期" + WEEKDAYS[d.getDay()] + "）" : "日期格式不正确，应如 2025年6月16日 或 2025-06-16";
    echo.classList.toggle("text-danger", !!text && !d);
  }
  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-cn-date")) { echoDate(event.target); }
  });
  // the list's tick boxes: <input data-check-all="ids"> ticks every visible box of that name; a
  // <span data-checked-count="ids"> says how many are ticked
  function countChecked(name) {
    var ticked = {};
    document.querySelectorAll('input[type=checkbox][name="' + name + '"]:checked').forEach(function (box) {
      ticked[box.value] = true;
    });
    document.querySelectorAll('[data-checked-count="' + name + '"]').forEach(function (el) {
      var n = Object.keys(ticked).length;
      el.textContent = n ? "已勾选 " + n + " 件" : "尚未勾选";
    });
  }
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.hasAttribute && el.hasAttribute("data-check-all")) {
      var name = el.getAttribute("data-check-all");
      document.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (box) {
        if (box.offsetParent !== null) { box.checked = el.checked; }
      });
      countChecked(name);
    } else if (el.type === "checkbox" && el.name) {
      var twins = document.querySelectorAll('input[type=checkbox][name="' + el.name + '"][value="' + el.value + '"]');
      twins.forEach(function (box) { box.checked = el.checked; });   // the phone's row and the office's row
      countChecked(el.name);
    }
  });
  document.addEventListener("DOMContentLoaded", function () {
    sync();
    document.querySelectorAll("[data-checked-count]").forEach(function (el) { countChecked(el.getAttribute("data-checked-count")); });
    document.querySelectorAll("[data-cn-date]").forEach(function (input) { if (input.value) { echoDate(input); } });
  });
})();
