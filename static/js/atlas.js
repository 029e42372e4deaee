// The atlas page (/atlas): a heat map of scenarios, open needs or published solutions (a switch) per
// industry × technology domain and a treemap of categories and sub-categories, drawn with ECharts
// from the JSON block #atlas-data.
// The Content-Security-Policy forbids inline scripts and style attributes: data comes from the
// non-executed JSON block, sizes are set through the CSSOM, and tooltips are drawn on the canvas
// (renderMode "richText"), so no HTML built from taxonomy names ever reaches the page.
// Every cell and block carries its count as text, so colour is never the only sign of a number; the
// reading aids (static/js/access.js) give the high-contrast colours and the font scale, and the charts
// are drawn anew when the visitor switches them.
(function () {
  "use strict";

  var source = document.getElementById("atlas-data");
  var heatmapNode = document.getElementById("atlas-heatmap");
  var treemapNode = document.getElementById("atlas-treemap");
  if (!source || !heatmapNode || !treemapNode || typeof window.echarts === "undefined") {
    return;
  }

  var data = JSON.parse(source.textContent);
  var text = data.text;
  // The switch above the heat map (radio buttons in a form that also works without this script)
  // chooses the measure the cells show: scenarios, open needs or published solutions.
  var switchForm = document.getElementById("atlas-switch");
  var measureNames = Object.keys(data.measures);
  var measure = measureNames[0];
  if (switchForm) {
    var checked = switchForm.querySelector("input[name=measure]:checked");
    measure = checked && data.measures[checked.value] ? checked.value : measure;
  }
  var BRAND = "#0b4f8a";
  var EMPTY = "#f6f7f8";
  var FONT = 'system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif';
  var NARROW = 576; // Bootstrap's sm breakpoint
  var access = window.gfAccess || {highContrast: function () { return false; }, chartTheme: function () { return null; },
                                   fontScale: function () { return 1; }};
  var PALETTE = ["#0b4f8a", "#1f7a8c", "#2e8b57", "#6a8d2f", "#b07d12", "#c0612b",
                 "#b03a48", "#8e3b8f", "#5b4fa8", "#3567b5", "#2f7f9e", "#5a6b7b"];

  function isNarrow() {
    return window.innerWidth < NARROW;
  }

  function fontSize(pixels) {
    return Math.round(pixels * access.fontScale());
  }

  // High contrast: cells from dark grey to yellow, each count white on a black label of its own (no
  // text colour reads well on the olive middle of that scale).
  function scheme() {
    return access.highContrast()
      ? {axis: "#ffffff", empty: "#000000", border: "#777777", emphasis: "#ffff00", range: ["#333333", "#ffff00"],
         scale: "#ffffff", block: "#000000", blockBorder: "#ffffff",
         countLabel: {color: "#ffffff", backgroundColor: "#000000", padding: [2, 4], borderRadius: 2}}
      : {axis: "#374151", empty: EMPTY, border: "#fff", emphasis: "#111827", range: ["#cfe0f1", "#6fa3d2", BRAND],
         scale: "#6b7280", block: null, blockBorder: null, countLabel: null};
  }

  function countText(count) {
    return text.count.replace("{count}", String(count));
  }

  function follow(params) {
    var url = params.data && params.data.url;
    if (url) {
      window.location.assign(url);
    }
  }

  function heatmapHeight(narrow) {
    var rows = data.industries.length;
    // axis labels below, and the colour scale on wide screens
    return Math.round((rows * (narrow ? 34 : 40) + 110) * access.fontScale());
  }

  // Every measure's count in one cell, for the tooltip: "Scenarios: 3" on a line each.
  function cellSummary(index) {
    return measureNames.map(function (name) {
      return data.measures[name].label + text.separator + data.measures[name].cells[index][2];
    }).join("\n");
  }

  function heatmapOption(narrow) {
    var shown = data.measures[measure];
    var max = Math.max(shown.max, 1);
    var colours = scheme();
    var highContrast = access.highContrast();
    var domainLabels = data.domains.map(function (d) {
      return d.newMode ? d.name + "*" : d.name;
    });
    var cells = shown.cells.map(function (cell, index) {
      var count = cell[2];
      return {
        value: [cell[0], cell[1], count],
        url: cell[3],
        index: index,
        label: count ? colours.countLabel || {color: count > max * 0.55 ? "#fff" : "#1f2937"} : {show: false}
      };
    });
    return {
      animation: false,
      textStyle: {fontFamily: FONT},
      tooltip: {
        renderMode: "richText",
        formatter: function (params) {
          var value = params.data.value;
          return data.industries[value[1]].name + " × " + data.domains[value[0]].name + "\n" +
            cellSummary(params.data.index);
        }
      },
      grid: {left: 4, right: 8, top: 6, bottom: narrow ? 4 : 44, containLabel: true},
      xAxis: {
        type: "category",
        data: domainLabels,
        axisTick: {show: false},
        axisLine: {show: false},
        axisLabel: narrow
          ? {interval: 0, rotate: 90, fontSize: fontSize(11), width: 96, overflow: "truncate", color: colours.axis}
          : {interval: 0, fontSize: fontSize(12), width: 96, overflow: "break", lineHeight: fontSize(15),
             color: colours.axis}
      },
      yAxis: {
        type: "category",
        data: data.industries.map(function (i) { return i.name; }),
        inverse: true,
        axisTick: {show: false},
        axisLine: {show: false},
        axisLabel: {interval: 0, fontSize: fontSize(narrow ? 11 : 12), width: narrow ? 84 : 140, overflow: "truncate",
                    color: colours.axis}
      },
      visualMap: {
        show: !narrow,
        type: "continuous",
        min: 1,
        max: Math.max(max, 2),
        calculable: false,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemWidth: 12,
        itemHeight: 160,
        text: [text.many, text.few],
        textStyle: {color: colours.scale, fontFamily: FONT},
        inRange: {color: colours.range},
        outOfRange: {color: colours.empty}
      },
      series: [{
        type: "heatmap",
        data: cells,
        label: {
          show: true,
          fontSize: fontSize(narrow ? 11 : 13),
          formatter: function (params) {
            return params.data.value[2] ? String(params.data.value[2]) : "";
          }
        },
        itemStyle: {borderColor: colours.border, borderWidth: narrow ? 1 : 2},
        emphasis: {itemStyle: {borderColor: colours.emphasis, borderWidth: highContrast ? 3 : 1}}
      }]
    };
  }

  function treemapHeight(narrow) {
    return Math.round((narrow ? 420 : 500) * access.fontScale());
  }

  function treemapOption(narrow) {
    // On a phone, 63 sub-categories do not fit: the categories alone, the list below has the rest.
    var colours = scheme();
    var categories = data.categories.map(function (category, index) {
      var color = colours.block || PALETTE[index % PALETTE.length];
      var node = Object.assign({}, category, {itemStyle: {color: color, borderColor: color}});
      if (narrow) {
        delete node.children;
      }
      return node;
    });
    return {
      animation: false,
      textStyle: {fontFamily: FONT},
      tooltip: {
        renderMode: "richText",
        formatter: function (params) {
          var path = params.treePathInfo.slice(1).map(function (node) { return node.name; });
          return path.join(" / ") + "\n" + countText(params.value);
        }
      },
      series: [{
        type: "treemap",
        animation: false,
        data: categories,
        top: 0,
        left: 0,
        right: 0,
        bottom: 0,
        roam: false,
        nodeClick: false,
        breadcrumb: {show: false},
        label: {
          show: true,
          formatter: "{b}  {c}",
          fontSize: fontSize(narrow ? 13 : 12),
          overflow: "break",
          lineOverflow: "truncate",
          color: "#fff"
        },
        upperLabel: {
          show: true,
          height: fontSize(narrow ? 20 : 24),
          fontSize: fontSize(narrow ? 11 : 13),
          fontWeight: "bold",
          color: "#fff",
          formatter: "{b}  {c}"
        },
        levels: colours.blockBorder
          ? [
            {itemStyle: {borderWidth: 0, gapWidth: 3}, upperLabel: {show: false}},
            {itemStyle: {borderWidth: 3, gapWidth: 1, borderColor: colours.blockBorder}},
            {itemStyle: {borderWidth: 1, gapWidth: 1, borderColor: colours.blockBorder}}
          ]
          : [
            {itemStyle: {borderWidth: 0, gapWidth: 3}, upperLabel: {show: false}},
            {itemStyle: {borderWidth: 2, gapWidth: 1}},
            {colorSaturation: [0.35, 0.6], itemStyle: {borderWidth: 1, gapWidth: 1, borderColorSaturation: 0.7}}
          ]
      }]
    };
  }

  function chart(node, height, option) {
    var narrow = isNarrow();
    var instance = null;
    function render() {
      if (instance) {
        instance.dispose();
      }
      node.style.width = "100%";
      node.style.height = height(narrow) + "px";
      instance = window.echarts.init(node, access.chartTheme(), {renderer: "canvas"});
      instance.setOption(option(narrow));
      instance.on("click", follow);
    }
    render();
    document.addEventListener("gf:access", render);
    return {
      narrow: narrow,
      redraw: function () {
        instance.setOption(option(narrow), true);
      },
      refresh: function () {
        var nowNarrow = isNarrow();
        if (nowNarrow !== this.narrow) {
          this.narrow = narrow = nowNarrow;
          node.style.height = height(nowNarrow) + "px";
          instance.setOption(option(nowNarrow), true);
        }
        instance.resize();
      }
    };
  }

  var heatmap = chart(heatmapNode, heatmapHeight, heatmapOption);
  var charts = [heatmap, chart(treemapNode, treemapHeight, treemapOption)];

  // Switching needs no reload: the cells are drawn anew, the matching data table is shown and the
  // address keeps the choice (a reload or a shared link opens the same view).
  if (switchForm) {
    switchForm.querySelector("[data-atlas-submit]").classList.add("d-none");
    switchForm.addEventListener("change", function (event) {
      if (event.target.name !== "measure" || !data.measures[event.target.value]) {
        return;
      }
      measure = event.target.value;
      heatmap.redraw();
      document.querySelectorAll("[data-measure-table]").forEach(function (table) {
        table.hidden = table.getAttribute("data-measure-table") !== measure;
      });
      var url = new URL(window.location.href);
      url.searchParams.set("measure", measure);
      window.history.replaceState(null, "", url.pathname + url.search + url.hash);
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      charts.forEach(function (c) { c.refresh(); });
    }, 100);
  });
}());
