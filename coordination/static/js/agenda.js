// Reorder the agenda without reloading the page: drag an item to its place, or use its
// "Move up" / "Move down" buttons (the keyboard's way, and the only one without this script:
// the buttons are plain forms). The script sends the move in the background and orders the
// list as the server answers; a refused move puts the list back and says why.
(function () {
  "use strict";
  var list = document.querySelector("ol.agenda[data-reorder]");
  if (!list || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("agenda-status");
  var movedTemplate = list.getAttribute("data-moved-message") || "";
  var dragged = null;
  var dropped = false;
  var orderBeforeDrag = null;

  function items() {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.tagName === "LI";
    });
  }

  function say(message) {
    if (status) { status.textContent = message; }
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

  function putInOrder(ids) {
    var byId = {};
    items().forEach(function (element) { byId[element.getAttribute("data-item-id")] = element; });
    ids.forEach(function (id) {
      var element = byId[String(id)];
      if (element) { list.appendChild(element); }
    });
    refreshButtons();
  }

  // Post one of the item's move forms (its fields as given); then order the list as the
  // server says, or put it back as it was and say why.
  function send(item, form, body, before) {
    return fetch(form.action, {
      method: "POST",
      body: body,
      headers: { "Accept": "application/json" },
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        return { ok: response.ok, data: data };
      });
    }).then(function (result) {
      if (!result.ok) {
        putInOrder(before);
        say(result.data.error || "");
        return false;
      }
      putInOrder(result.data.order);
      say(movedTemplate.replace("{position}", String(items().indexOf(item) + 1)));
      return true;
    });
  }

  function currentOrder() {
    return items().map(function (element) { return element.getAttribute("data-item-id"); });
  }

  list.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("move-form")) {
      return;
    }
    event.preventDefault();
    var item = form.closest("li.agenda-item");
    var direction = form.querySelector('input[name="direction"]').value;
    send(item, form, new FormData(form), currentOrder()).then(function () {
      var again = item.querySelector('button[data-direction="' + direction + '"]');
      var other = item.querySelector('button[data-direction="' + (direction === "up" ? "down" : "up") + '"]');
      if (again && !again.disabled) { again.focus(); } else if (other) { other.focus(); }
    }).catch(function () {
      form.submit();
    });
  });

  // Drag and drop: the item follows the pointer through the list; dropping it sends its new
  // position. The buttons stay for the keyboard, screen readers and touch screens.
  items().forEach(function (item) { item.setAttribute("draggable", "true"); });
  list.classList.add("sortable");
  var hint = document.getElementById("agenda-drag-hint");
  if (hint) { hint.hidden = false; }

  list.addEventListener("dragstart", function (event) {
    var item = event.target.closest ? event.target.closest("li.agenda-item") : null;
    if (!item || event.target !== item) {
      return;
    }
    dragged = item;
    dropped = false;
    orderBeforeDrag = currentOrder();
    item.classList.add("dragging");
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.getAttribute("data-item-id"));
  });

  list.addEventListener("dragover", function (event) {
    if (!dragged) {
      return;
    }
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    var over = event.target.closest ? event.target.closest("li.agenda-item") : null;
    if (!over || over === dragged) {
      return;
    }
    var box = over.getBoundingClientRect();
    var after = event.clientY > box.top + box.height / 2;
    list.insertBefore(dragged, after ? over.nextSibling : over);
  });

  list.addEventListener("drop", function (event) {
    if (!dragged) {
      return;
    }
    event.preventDefault();
    dropped = true;
    var item = dragged;
    var before = orderBeforeDrag;
    var position = items().indexOf(item) + 1;
    if (before.indexOf(item.getAttribute("data-item-id")) + 1 === position) {
      return;
    }
    var form = item.querySelector("form.move-form");
    var body = new FormData(form);
    body.delete("direction");
    body.append("position", String(position));
    send(item, form, body, before).catch(function () {
      putInOrder(before);
    });
  });

  list.addEventListener("dragend", function () {
    if (!dragged) {
      return;
    }
    dragged.classList.remove("dragging");
    if (!dropped) { putInOrder(orderBeforeDrag); }  // let go outside the list: nothing moves
    dragged = null;
    refreshButtons();
  });
})();
