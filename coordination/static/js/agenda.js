// Move agenda items up and down without reloading the page. The forms work without this
// script: it only sends them in the background and reorders the list with the server's answer.
(function () {
  "use strict";
  var list = document.querySelector("ol.agenda[data-reorder]");
  if (!list || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("agenda-status");
  var movedTemplate = list.getAttribute("data-moved-message") || "";

  function items() {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.tagName === "LI";
    });
  }

  function refreshButtons() {
    var all = items();
    all.forEach(function (item, index) {
      var up = item.querySelector('button[data-direction="up"]');
      var down = item.querySelector('button[data-direction="down"]');
      if (up) { up.disabled = index === 0; }
      if (down) { down.disabled = index === all.length - 1; }
    });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("move-form")) {
      return;
    }
    event.preventDefault();
    var item = form.closest("li.agenda-item");
    var direction = form.querySelector('input[name="direction"]').value;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, data: data };
      });
    }).then(function (result) {
      if (!result.ok) {
        if (status) { status.textContent = result.data.error || ""; }
        return;
      }
      var byId = {};
      items().forEach(function (element) { byId[element.getAttribute("data-item-id")] = element; });
      result.data.order.forEach(function (id) {
        var element = byId[String(id)];
        if (element) { list.appendChild(element); }
      });
      refreshButtons();
      var again = item.querySelector('button[data-direction="' + direction + '"]');
      var other = item.querySelector('button[data-direction="' + (direction === "up" ? "down" : "up") + '"]');
      if (again && !again.disabled) { again.focus(); } else if (other) { other.focus(); }
      if (status) {
        status.textContent = movedTemplate.replace("{position}", String(items().indexOf(item) + 1));
      }
    }).catch(function () {
      form.submit();
    });
  });
})();
