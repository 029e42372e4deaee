// Picking related scenarios by search: <div data-scenario-picker data-target="ID" data-api="URL">
// holds a search box and a result list; clicking a result adds its code to the codes field.
(function () {
  var SEPARATOR = "、";
  var MAX_CODES = 10;

  function codesOf(input) {
    return input.value.split(/[、,，;；\/\s]+/).filter(function (code) { return code; });
  }

  function render(picker, items) {
    var list = picker.querySelector("[data-results]");
    var target = document.getElementById(picker.dataset.target);
    list.replaceChildren();
    items.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action small";
      button.textContent = item.code + " " + item.title;
      button.addEventListener("click", function () {
        var codes = codesOf(target);
        if (codes.indexOf(item.code) === -1 && codes.length < MAX_CODES) {
          codes.push(item.code);
          target.value = codes.join(SEPARATOR);
        }
        button.classList.add("active");
      });
      list.appendChild(button);
    });
    picker.querySelector("[data-empty]").classList.toggle("d-none", items.length > 0);
  }

  document.querySelectorAll("[data-scenario-picker]").forEach(function (picker) {
    var box = picker.querySelector("input[type=search]");
    var timer = null;
    box.addEventListener("input", function () {
      clearTimeout(timer);
      var q = box.value.trim();
      if (q.length < 2) { render(picker, []); picker.querySelector("[data-empty]").classList.add("d-none"); return; }
      timer = setTimeout(function () {
        fetch(picker.dataset.api + "?per_page=8&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { items: [] }; })
          .then(function (data) { if (box.value.trim() === q) { render(picker, data.items || []); } });
      }, 250);
    });
    box.addEventListener("keydown", function (event) { if (event.key === "Enter") { event.preventDefault(); } });
  });
})();
