// Draws the statistics page's charts from the options the server wrote into each box (statistics/charts.py).
(function () {
  if (!window.echarts) { return; }
  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(JSON.parse(el.getAttribute("data-chart")));
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
