// Draws the statistics page's charts from the options the server wrote (statistics/charts.py).
(function () {
  var source = document.getElementById("chart-options");
  if (!source || !window.echarts) { return; }
  var options = JSON.parse(source.textContent);
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var option = options[el.getAttribute("data-chart")];
    if (!option) { el.remove(); return; }
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
