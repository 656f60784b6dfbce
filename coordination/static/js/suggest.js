// Suggestions while typing: a text field with data-suggest="<url>" and a <datalist> gets the
// datalist filled from <url>?q=<text> (JSON: {"suggestions": [...]}) a moment after each
// keystroke. The browser shows the list as the field's own combobox (keyboard and screen
// readers included); without script the server has already listed the matches of the text it
// received, so nothing depends on this file.
(function () {
  "use strict";

  const DELAY_MS = 200;
  const MIN_LENGTH = 2;

  function attach(input) {
    const list = input.list;
    if (!list) {
      return;
    }
    let timer = null;
    let asked = "";
    let controller = null;

    function show(suggestions) {
      const options = suggestions.map(function (text) {
        const option = document.createElement("option");
        option.value = text;
        return option;
      });
      list.replaceChildren.apply(list, options);
    }

    function ask() {
      const text = input.value.trim();
      if (text.length < MIN_LENGTH || text === asked) {
        return;
      }
      asked = text;
      if (controller) {
        controller.abort();
      }
      controller = new AbortController();
      const url = new URL(input.dataset.suggest, window.location.href);
      url.searchParams.set("q", text);
      fetch(url, { headers: { Accept: "application/json" }, signal: controller.signal })
        .then(function (response) {
          return response.ok ? response.json() : { suggestions: [] };
        })
        .then(function (body) {
          // A suggestion the user already typed in full is not offered again.
          show(body.suggestions.filter(function (text) { return text !== input.value; }));
        })
        .catch(function () {
          // Offline or aborted: the field still works, the server resolves what was typed.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
