// Reading aids (适老化): a larger font size and a high-contrast scheme, kept in localStorage so that
// every page and every reload shows them. Public pages are cached whole for all anonymous visitors
// (app/core/page_cache.py), so the server never renders them: this script, loaded in <head> before
// the page paints, marks <html> (data-font-size, class high-contrast with Bootstrap's dark theme as
// its base; static/css/access.css does the rest), and the navbar's switch (templates/base.html,
// [data-access-size] and [data-access-contrast] buttons) changes them. Charts redraw on the
// "gf:access" event.
(function () {
  "use strict";

  var SIZES = ["standard", "large", "larger"];
  var SIZE_KEY = "gf-font-size";
  var CONTRAST_KEY = "gf-contrast";
  var root = document.documentElement;

  function read(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return null; // storage disabled: the page keeps the standard look
    }
  }

  function write(key, value) {
    try {
      if (value) {
        window.localStorage.setItem(key, value);
      } else {
        window.localStorage.removeItem(key);
      }
    } catch (error) { /* storage disabled: the setting holds for this page only */ }
  }

  function apply(size, contrast) {
    if (size && size !== "standard" && SIZES.indexOf(size) !== -1) {
      root.setAttribute("data-font-size", size);
    } else {
      root.removeAttribute("data-font-size");
    }
    root.classList.toggle("high-contrast", contrast);
    if (contrast) {
      root.setAttribute("data-bs-theme", "dark");
    } else {
      root.removeAttribute("data-bs-theme");
    }
  }

  function currentSize() {
    return root.getAttribute("data-font-size") || "standard";
  }

  function isHighContrast() {
    return root.classList.contains("high-contrast");
  }

  function showState() {
    var size = currentSize();
    document.querySelectorAll("[data-access-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-access-size") === size ? "true" : "false");
    });
    document.querySelectorAll("[data-access-contrast]").forEach(function (button) {
      button.setAttribute("aria-pressed", isHighContrast() ? "true" : "false");
    });
  }

  function changed() {
    showState();
    document.dispatchEvent(new CustomEvent("gf:access"));
  }

  // For the chart scripts (static/js/stats.js, atlas.js, figures.js): the ECharts theme of the current
  // mode and the factor by which to scale their pixel font sizes.
  var HIGH_CONTRAST_THEME = {
    color: ["#ffff00", "#00ffff", "#ffffff", "#ff80ff"],
    backgroundColor: "#000000",
    textStyle: {color: "#ffffff"},
    legend: {textStyle: {color: "#ffffff"}},
    tooltip: {backgroundColor: "#000000", borderColor: "#ffffff", textStyle: {color: "#ffffff"}},
    visualMap: {textStyle: {color: "#ffffff"}},
    categoryAxis: {axisLine: {lineStyle: {color: "#ffffff"}}, axisTick: {lineStyle: {color: "#ffffff"}},
                   axisLabel: {color: "#ffffff"}, splitLine: {lineStyle: {color: "#777777"}}},
    valueAxis: {axisLine: {lineStyle: {color: "#ffffff"}}, axisTick: {lineStyle: {color: "#ffffff"}},
                axisLabel: {color: "#ffffff"}, nameTextStyle: {color: "#ffffff"},
                splitLine: {lineStyle: {color: "#777777"}}}
  };
  window.gfAccess = {
    highContrast: isHighContrast,
    chartTheme: function () { return isHighContrast() ? HIGH_CONTRAST_THEME : null; },
    fontScale: function () { return (parseFloat(window.getComputedStyle(root).fontSize) || 16) / 16; }
  };

  apply(read(SIZE_KEY), read(CONTRAST_KEY) === "high");

  document.addEventListener("click", function (event) {
    var target = event.target.closest && event.target.closest("[data-access-size], [data-access-contrast]");
    if (!target) {
      return;
    }
    if (target.hasAttribute("data-access-size")) {
      var size = target.getAttribute("data-access-size");
      write(SIZE_KEY, size === "standard" ? null : size);
      apply(size, isHighContrast());
    } else {
      var contrast = !isHighContrast();
      write(CONTRAST_KEY, contrast ? "high" : null);
      apply(currentSize(), contrast);
    }
    changed();
  });

  // Another tab changed the setting: this one follows.
  window.addEventListener("storage", function (event) {
    if (event.key === SIZE_KEY || event.key === CONTRAST_KEY || event.key === null) {
      apply(read(SIZE_KEY), read(CONTRAST_KEY) === "high");
      changed();
    }
  });

  // Paper is black on white whatever the screen shows (static/css/print.css; access.css is for screens).
  window.addEventListener("beforeprint", function () { root.removeAttribute("data-bs-theme"); });
  window.addEventListener("afterprint", function () { apply(currentSize(), isHighContrast()); });

  document.addEventListener("DOMContentLoaded", showState);
})();
