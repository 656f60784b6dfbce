// Copy buttons for read-only fields (progressive enhancement: without JavaScript the button
// stays hidden and the address can be selected and copied by hand).
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button[data-copy-target]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-copy-target"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!field) {
      return;
    }
    field.addEventListener("focus", function () {
      field.select();
    });
    if (!navigator.clipboard || !window.isSecureContext) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(
        function () {
          if (status) {
            status.textContent = button.getAttribute("data-copied-text");
          }
        },
        function () {
          field.focus();
          field.select();
          if (status) {
            status.textContent = button.getAttribute("data-failed-text");
          }
        }
      );
    });
  });
})();
