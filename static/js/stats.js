// The enablement statistics pages (/stats, /stats/public): monthly bars with a cumulative line,
// and horizontal bars per district, industry, kind and provider, drawn with ECharts from the JSON
// block #stats-data. On the admins' dashboard each bar links to the ledger rows behind it.
// As on the atlas, the Content-Security-Policy forbids inline scripts and style attributes: sizes
// are set through the CSSOM and tooltips are drawn on the canvas (renderMode "richText").
// The reading aids (static/js/access.js) give the high-contrast theme and the font scale; the charts
// are drawn anew when the visitor switches them. Bars carry a pattern (ECharts' decal) and the
// cumulative line its own symbols and dashes, so that no series is told apart by colour alone.
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
  var access = window.gfAccess || {highContrast: function () { return false; }, chartTheme: function () { return null; },
                                   fontScale: function () { return 1; }};

  function colours() {
    return access.highContrast()
      ? {bar: "#ffff00", line: "#00ffff", label: "#ffffff"}
      : {bar: BRAND, line: ACCENT, label: "#1f2937"};
  }

  function fontSize(pixels) {
    return Math.round(pixels * access.fontScale());
  }

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
    return {trigger: "axis", axisPointer: {type: "shadow"}, renderMode: "richText",
            textStyle: {fontFamily: FONT, fontSize: fontSize(12)}};
  }

  function draw(id, height, option) {
    var node = document.getElementById(id);
    if (!node) {
      return;
    }
    var instance = null;
    function render() {
      if (instance) {
        instance.dispose();
      }
      node.style.width = "100%";
      node.style.height = Math.round(height() * access.fontScale()) + "px";
      instance = window.echarts.init(node, access.chartTheme(), {renderer: "canvas"});
      instance.setOption(option(isNarrow()));
      instance.on("click", follow);
    }
    render();
    window.addEventListener("resize", function () {
      node.style.height = Math.round(height() * access.fontScale()) + "px";
      instance.setOption(option(isNarrow()));
      instance.resize();
    });
    document.addEventListener("gf:access", render);
  }

  function withCursor(items) {
    return items.map(function (item) {
      return {name: item.name, value: item.value, url: item.url,
              itemStyle: {color: colours().bar}, cursor: item.url ? "pointer" : "default"};
    });
  }

  function monthly(narrow) {
    var colour = colours();
    var labels = {fontSize: fontSize(12)};
    return {
      textStyle: {fontFamily: FONT},
      aria: {enabled: true, label: {enabled: false}, decal: {show: true}},
      color: [colour.bar, colour.line],
      grid: {left: fontSize(48), right: narrow ? 12 : fontSize(56), top: fontSize(36), bottom: fontSize(28)},
      legend: {top: 0, data: [text.monthly, text.cumulative], textStyle: {fontSize: fontSize(12)}},
      tooltip: tooltip(),
      xAxis: {type: "category", data: data.months.map(function (m) { return m.name; }),
              axisLabel: Object.assign({hideOverlap: true}, labels)},
      yAxis: [{type: "value", name: narrow ? "" : text.unit, minInterval: 1, axisLabel: labels,
               nameTextStyle: labels},
              {type: "value", show: !narrow, minInterval: 1, splitLine: {show: false}, axisLabel: labels}],
      series: [
        {name: text.monthly, type: "bar", data: withCursor(data.months), barMaxWidth: 28},
        {name: text.cumulative, type: "line", yAxisIndex: 1, data: data.cumulative,
         itemStyle: {color: colour.line}, lineStyle: {color: colour.line, type: "dashed", width: 2},
         symbol: "diamond", symbolSize: 8}
      ]
    };
  }

  function horizontal(items, unit) {
    return function (narrow) {
      var ordered = items.slice().reverse();
      // A fixed label column: ECharts' containLabel measures truncated labels wrongly.
      var labels = narrow ? 104 : 168;
      var size = fontSize(12);
      return {
        textStyle: {fontFamily: FONT},
        grid: {left: labels, right: fontSize(40), top: 8, bottom: narrow ? 8 : fontSize(24)},
        tooltip: tooltip(),
        xAxis: {type: "value", minInterval: 1, axisLabel: {show: !narrow, fontSize: size}},
        yAxis: {type: "category", data: ordered.map(function (i) { return i.name; }),
                axisLabel: {width: labels - 12, overflow: "truncate", fontSize: size}},
        series: [{type: "bar", name: unit, data: withCursor(ordered), barMaxWidth: 18,
                  label: {show: true, position: "right", fontSize: size, color: colours().label}}]
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
