// The headache form: what is typed is what is saved, and the page shows it as one types.
// Typing a date or time selects "Another time"; typing minutes selects "Exact length".
// Choosing a quick start puts back the date and time the page showed (so they are not read as
// typed); choosing a quick length puts its minutes in the box ("Still going" empties it).
// Without JavaScript the server applies the same rule (diary.forms.AttackForm).
(function () {
  "use strict";
  var form = document.querySelector("form[data-attack-form]");
  if (!form) { return; }

  function radio(name, value) {
    return form.querySelector("input[type=radio][name='" + name + "'][value='" + value + "']");
  }
  function shown(input) {
    var twin = form.querySelector("input[name='shown_" + input.name + "']");
    return twin ? twin.value : "";
  }

  // Back to a page kept in memory after saving: show the form as it was first drawn, never a mix
  // of restored typed values and reset choices.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { form.reset(); }
  });

  var start = [form.elements.start_date, form.elements.start_time].filter(Boolean);
  var minutes = form.elements.duration_minutes;

  start.forEach(function (input) {
    input.addEventListener("input", function () {
      var other = radio("when", "other");
      if (other) { other.checked = true; }
    });
  });
  if (minutes) {
    minutes.addEventListener("input", function () {
      var exact = radio("duration_choice", "exact");
      if (exact && minutes.value !== "") { exact.checked = true; }
    });
  }

  form.addEventListener("change", function (event) {
    var target = event.target;
    if (target.type !== "radio" || !target.checked) { return; }
    if (target.name === "when" && target.value !== "other") {
      start.forEach(function (input) { input.value = shown(input); });
    } else if (target.name === "duration_choice" && target.value !== "exact" && minutes) {
      minutes.value = target.value === "ongoing" ? "" : target.value;
    }
  });

  // A refused form: the summary of what to fix takes the focus, so it is read and seen first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) { summary.focus(); }
}());
