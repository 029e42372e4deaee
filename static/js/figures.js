// A firm's yearly figures (organization page, figures page, admin enrolment page): revenue and R&D
// spending as bars, net profit as a line, drawn with ECharts from the JSON block #figures-data.
// The Content-Security-Policy forbids inline scripts and style attributes: the size is set through
// the CSSOM and tooltips are drawn on the canvas (renderMode "richText"). The two bar series carry
// patterns (ECharts' decal) besides their colours, the line its own symbols; the reading aids
// (static/js/access.js) give the high-contrast theme and the font scale, and the chart is drawn anew
// when the visitor switches them.
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
  var access = window.gfAccess || {highContrast: function () { return false; }, chartTheme: function () { return null; },
                                   fontScale: function () { return 1; }};

  function height() {
    return Math.round((window.innerWidth < 576 ? 240 : 300) * access.fontScale());
  }

  function option() {
    var size = Math.round(12 * access.fontScale());
    var labels = {fontSize: size};
    return {
      textStyle: {fontFamily: FONT},
      aria: {enabled: true, label: {enabled: false}, decal: {show: true}},
      color: access.highContrast() ? ["#ffff00", "#00ffff", "#ffffff"] : ["#0b4f8a", "#5b9bd5", "#c0612b"],
      grid: {left: Math.round(56 * access.fontScale()), right: 16, top: 40, bottom: 28},
      legend: {top: 0, data: [text.revenue, text.rd, text.profit], textStyle: labels},
      tooltip: {trigger: "axis", renderMode: "richText", textStyle: {fontFamily: FONT, fontSize: size}},
      xAxis: {type: "category", data: data.years, axisLabel: labels},
      yAxis: {type: "value", name: text.unit, axisLabel: labels, nameTextStyle: labels},
      series: [
        {name: text.revenue, type: "bar", data: data.revenue, barMaxWidth: 28},
        {name: text.rd, type: "bar", data: data.rd, barMaxWidth: 28},
        {name: text.profit, type: "line", data: data.profit, symbol: "diamond", symbolSize: 8,
         lineStyle: {type: "dashed", width: 2}}
      ]
    };
  }

  var chart = null;
  function render() {
    if (chart) {
      chart.dispose();
    }
    node.style.width = "100%";
    node.style.height = height() + "px";
    chart = window.echarts.init(node, access.chartTheme(), {renderer: "canvas"});
    chart.setOption(option());
  }
  render();
  window.addEventListener("resize", function () {
    node.style.height = height() + "px";
    chart.resize();
  });
  document.addEventListener("gf:access", render);
})();
