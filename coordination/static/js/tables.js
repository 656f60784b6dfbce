// Wide tables: a table wider than the screen scrolls inside its box (.table-wrap). Without
// script the box's edges shade where columns are hidden (app.css); with it, a line above the
// table says so in words, and the box becomes a region named by the table's caption, which the
// keyboard can scroll. Both appear only while the table is wider than its box.
(function () {
  "use strict";

  const hintText = document.body.dataset.scrollHint;
  let count = 0;

  // The line and the box go into one frame that takes the box's place, so that showing the
  // line never moves the box in its layout (a grid would give the line a cell of its own, the
  // box another width, and the table might then fit).
  function addHint(wrap) {
    count += 1;
    const frame = document.createElement("div");
    frame.className = "table-frame";
    const hint = document.createElement("p");
    hint.className = "scroll-hint";
    hint.id = "scroll-hint-" + count;
    hint.textContent = hintText;
    hint.hidden = true;
    wrap.replaceWith(frame);
    frame.append(hint, wrap);
    const name = nameOf(wrap);
    if (name && !name.id) {
      name.id = "table-name-" + count;
    }
    return hint;
  }

  // What names the table: its caption, else (a table written in a text) the nearest heading
  // above it.
  function nameOf(wrap) {
    const caption = wrap.querySelector("caption");
    if (caption) {
      return caption;
    }
    const above = Array.from(document.querySelectorAll("#main :is(h1, h2, h3, h4)")).filter(
      function (heading) {
        return heading.compareDocumentPosition(wrap) & Node.DOCUMENT_POSITION_FOLLOWING;
      }
    );
    return above.pop() || null;
  }

  function mark(wrap) {
    const hint = wrap.previousElementSibling;
    const name = nameOf(wrap);
    const wide = wrap.scrollWidth > wrap.clientWidth + 1;
    wrap.classList.toggle("is-scrollable", wide);
    hint.hidden = !wide;
    if (wide) {
      wrap.setAttribute("role", "region");
      if (name) {
        wrap.setAttribute("aria-labelledby", name.id);
      }
      wrap.setAttribute("aria-describedby", hint.id);
    } else {
      wrap.removeAttribute("role");
      wrap.removeAttribute("aria-labelledby");
      wrap.removeAttribute("aria-describedby");
    }
  }

  if (!hintText) {
    return;
  }
  const wraps = document.querySelectorAll("#main .table-wrap");
  wraps.forEach(addHint);
  if ("ResizeObserver" in window) {
    // The box and its table: either may change width (the window, a late font, a chart).
    const observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { mark(entry.target.closest(".table-wrap")); });
    });
    wraps.forEach(function (wrap) {
      observer.observe(wrap);
      const table = wrap.querySelector("table");
      if (table) {
        observer.observe(table);
      }
    });
  }
  // Once the fonts and pictures are in, whatever the observer saw before.
  window.addEventListener("load", function () { wraps.forEach(mark); });
  wraps.forEach(mark);
})();
