// Signpost's only script, and nothing needs it: every page works without
// JavaScript. Where it runs it adds two conveniences to the shortlist (copy
// the link, print) and moves focus to a form's error summary.
(function () {
  "use strict";
  var summary = document.querySelector(".nhsuk-error-summary");
  if (summary) {
    summary.setAttribute("tabindex", "-1");
    summary.focus();
  }
  var copy = document.querySelector("[data-copy-target]");
  if (copy && navigator.clipboard) {
    var field = document.getElementById(copy.getAttribute("data-copy-target"));
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        copy.textContent = "Link copied";
      });
    });
  }
  var print = document.querySelector("[data-print]");
  if (print && window.print) {
    print.hidden = false;
    print.addEventListener("click", function () {
      window.print();
    });
  }
})();
