// The query page's only script: picking an example fills the form instead of reloading the
// page, and Ctrl/Cmd+Enter runs the query. Without it, the example links and the form work.
(function () {
  "use strict";
  var form = document.getElementById("query-form");
  var text = document.getElementById("query-text");
  var picker = document.getElementById("example-picker");
  if (!form || !text) { return; }
  function load(name) {
    var holder = document.getElementById("example-" + name);
    if (!holder) { return false; }
    text.value = holder.content.textContent;
    text.focus();
    return true;
  }
  if (picker) {
    picker.hidden = false;
    picker.addEventListener("change", function () { if (picker.value) { load(picker.value); } });
  }
  document.querySelectorAll("a[data-example]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      if (load(link.getAttribute("data-example"))) { event.preventDefault(); window.scrollTo(0, 0); }
    });
  });
  text.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.submit(); }
  });
})();
