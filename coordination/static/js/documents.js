// Several documents at once: files dropped on an upload form join its file chooser, and each
// chosen file gets its own "attach to" choice (sent as targets-0, targets-1 ... in the files'
// order). Without this script the form still takes several files, all attached to the one
// item chosen.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("form.upload-form"), function (form) {
    var input = form.querySelector('input[type="file"]');
    var all = form.querySelector("[data-all-targets]");
    var perFile = form.querySelector("[data-file-targets]");
    var allSelect = all ? all.querySelector("select") : null;
    if (!input || !all || !perFile || !allSelect) {
      return;
    }
    var list = perFile.querySelector("ul");

    function showChoices() {
      list.textContent = "";
      var files = input.files || [];
      perFile.hidden = files.length < 2;
      all.hidden = files.length >= 2;
      if (files.length < 2) {
        return;
      }
      Array.prototype.forEach.call(files, function (file, index) {
        var item = document.createElement("li");
        var label = document.createElement("label");
        var select = allSelect.cloneNode(true);
        select.id = "targets-" + index;
        select.name = "targets-" + index;
        select.removeAttribute("aria-describedby");
        select.removeAttribute("aria-invalid");
        select.value = allSelect.value;
        label.htmlFor = select.id;
        label.textContent = file.name;
        item.appendChild(label);
        item.appendChild(select);
        list.appendChild(item);
      });
    }

    input.addEventListener("change", showChoices);

    if (window.DataTransfer) {
      var hint = form.querySelector(".drop-hint");
      if (hint) { hint.hidden = false; }
      form.addEventListener("dragover", function (event) {
        if (event.dataTransfer && Array.prototype.indexOf.call(event.dataTransfer.types, "Files") >= 0) {
          event.preventDefault();
          form.classList.add("drop-target");
        }
      });
      form.addEventListener("dragleave", function () { form.classList.remove("drop-target"); });
      form.addEventListener("drop", function (event) {
        if (!event.dataTransfer || !event.dataTransfer.files.length) {
          return;
        }
        event.preventDefault();
        form.classList.remove("drop-target");
        // The dropped files join those already chosen.
        var joined = new DataTransfer();
        Array.prototype.forEach.call(input.files || [], function (file) { joined.items.add(file); });
        Array.prototype.forEach.call(event.dataTransfer.files, function (file) { joined.items.add(file); });
        input.files = joined.files;
        showChoices();
      });
    }
    showChoices();
  });
})();
