// The live preview of a reminder's text: placeholders filled with a sample appointment in the
// chosen language, written right to left for the languages that are.
(function () {
  "use strict";
  var form = document.getElementById("reminder-template-form");
  var preview = document.getElementById("reminder-preview");
  var source = document.getElementById("reminder-preview-values");
  if (!form || !preview || !source) return;
  var values = JSON.parse(source.textContent);
  var text = form.querySelector("[name=text]");
  var language = form.querySelector("[name=language_code]");
  function render() {
    var sample = values[language.value] || values.fra || {};
    preview.textContent = text.value.replace(/\{(date|time|place|sender)\}/g, function (_m, name) {
      return sample[name] || "";
    });
    preview.setAttribute("dir", sample.dir || "ltr");
  }
  text.addEventListener("input", render);
  language.addEventListener("change", render);
})();
