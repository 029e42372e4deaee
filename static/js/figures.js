// A firm's yearly figures (organization page, figures page, admin enrolment page): revenue and R&D
// spending as bars, net profit as a line, drawn with ECharts from the JSON block #figures-data.
// The Content-Security-Policy forbids inline scripts and style attributes: the size is set through
// the CSSOM and tooltips are drawn on the canvas (renderMode "richText").
(function () {
  "use strict";

  var source = document.getElementById("figures-data");
  var node = document.getElementById("chart-figures");
  if (!source || !node || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var text = data.text;
  var FONT = 'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';

  function height() {
    return window.innerWidth < 576 ? 240 : 300;
  }

  node.style.width = "100%";
  node.style.height = height() + "px";
  var chart = window.echarts.init(node, null, {renderer: "canvas"});
  chart.setOption({
    textStyle: {fontFamily: FONT},
    color: ["#0b4f8a", "#5b9bd5", "#c0612b"],
    grid: {left: 56, right: 16, top: 40, bottom: 28},
    legend: {top: 0, data: [text.revenue, text.rd, text.profit]},
    tooltip: {trigger: "axis", renderMode: "richText", textStyle: {fontFamily: FONT}},
    xAxis: {type: "category", data: data.years},
    yAxis: {type: "value", name: text.unit},
    series: [
      {name: text.revenue, type: "bar", data: data.revenue, barMaxWidth: 28},
      {name: text.rd, type: "bar", data: data.rd, barMaxWidth: 28},
      {name: text.profit, type: "line", data: data.profit, symbolSize: 6}
    ]
  });
  window.addEventListener("resize", function () {
    node.style.height = height() + "px";
    chart.resize();
  });
})();
