// The enablement statistics pages (/stats, /stats/public): monthly bars with a cumulative line,
// and horizontal bars per district, industry, kind and provider, drawn with ECharts from the JSON
// block #stats-data. On the admins' dashboard each bar links to the ledger rows behind it.
// As on the atlas, the Content-Security-Policy forbids inline scripts and style attributes: sizes
// are set through the CSSOM and tooltips are drawn on the canvas (renderMode "richText").
(function () {
  "use strict";

  var source = document.getElementById("stats-data");
  if (!source || typeof window.echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var text = data.text;
  var BRAND = "#0b4f8a";
  var ACCENT = "#c0612b";
  var FONT = 'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var NARROW = 576;

  function isNarrow() {
    return window.innerWidth < NARROW;
  }

  function follow(params) {
    var item = params.data;
    if (item && item.url) {
      window.location.assign(item.url);
    }
  }

  function tooltip() {
    return {trigger: "axis", axisPointer: {type: "shadow"}, renderMode: "richText", textStyle: {fontFamily: FONT}};
  }

  function draw(id, height, option) {
    var node = document.getElementById(id);
    if (!node) {
      return;
    }
    node.style.width = "100%";
    node.style.height = height() + "px";
    var instance = window.echarts.init(node, null, {renderer: "canvas"});
    instance.setOption(option(isNarrow()));
    instance.on("click", follow);
    window.addEventListener("resize", function () {
      node.style.height = height() + "px";
      instance.setOption(option(isNarrow()));
      instance.resize();
    });
  }

  function withCursor(items) {
    return items.map(function (item) {
      return {name: item.name, value: item.value, url: item.url,
              itemStyle: {color: BRAND}, cursor: item.url ? "pointer" : "default"};
    });
  }

  function monthly(narrow) {
    return {
      textStyle: {fontFamily: FONT},
      grid: {left: 48, right: narrow ? 12 : 56, top: 36, bottom: 28},
      legend: {top: 0, data: [text.monthly, text.cumulative]},
      tooltip: tooltip(),
      xAxis: {type: "category", data: data.months.map(function (m) { return m.name; }),
              axisLabel: {hideOverlap: true}},
      yAxis: [{type: "value", name: narrow ? "" : text.unit, minInterval: 1},
              {type: "value", show: !narrow, minInterval: 1, splitLine: {show: false}}],
      series: [
        {name: text.monthly, type: "bar", data: withCursor(data.months), barMaxWidth: 28},
        {name: text.cumulative, type: "line", yAxisIndex: 1, data: data.cumulative,
         itemStyle: {color: ACCENT}, lineStyle: {color: ACCENT}, symbolSize: 5}
      ]
    };
  }

  function horizontal(items, unit) {
    return function (narrow) {
      var ordered = items.slice().reverse();
      // A fixed label column: ECharts' containLabel measures truncated labels wrongly.
      var labels = narrow ? 104 : 168;
      return {
        textStyle: {fontFamily: FONT},
        grid: {left: labels, right: 40, top: 8, bottom: narrow ? 8 : 24},
        tooltip: tooltip(),
        xAxis: {type: "value", minInterval: 1, axisLabel: {show: !narrow}},
        yAxis: {type: "category", data: ordered.map(function (i) { return i.name; }),
                axisLabel: {width: labels - 12, overflow: "truncate"}},
        series: [{type: "bar", name: unit, data: withCursor(ordered), barMaxWidth: 18,
                  label: {show: true, position: "right"}}]
      };
    };
  }

  function barsHeight(items) {
    return function () {
      return Math.max(160, items.length * 28 + 24);
    };
  }

  draw("chart-months", function () { return isNarrow() ? 260 : 320; }, monthly);
  draw("chart-districts", barsHeight(data.districts), horizontal(data.districts, text.unit));
  draw("chart-industries", barsHeight(data.industries), horizontal(data.industries, text.unit));
  draw("chart-kinds", barsHeight(data.kinds), horizontal(data.kinds, text.unit));
  draw("chart-providers", barsHeight(data.providers), horizontal(data.providers, text.firms));
})();
