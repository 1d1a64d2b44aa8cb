// The error summary of a refused form (templates/includes/_error_summary.html), as GOV.UK's.
// Without this file the summary is still focused (autofocus) and its links still reach their
// fields; with it, focus is sure even where autofocus was skipped, and following a link brings
// the field's label or question into view with the field, not the field alone at the top.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  if (document.activeElement === null || document.activeElement === document.body) {
    summary.focus({ preventScroll: true });
  }
  // Focus by autofocus does not always scroll: a summary below the first screen is brought up.
  var box = summary.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) {
    summary.scrollIntoView({ block: "start" });
  }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!field) {
      return;
    }
    var fieldset = field.type === "radio" || field.type === "checkbox" ? field.closest("fieldset") : null;
    var legend = fieldset ? fieldset.querySelector("legend") : null;
    var label = legend || (field.id ? document.querySelector("label[for='" + field.id + "']") : null);
    event.preventDefault();
    (label || field).scrollIntoView({ block: "start" });
    field.focus({ preventScroll: true });
  });
})();
