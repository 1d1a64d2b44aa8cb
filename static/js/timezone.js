// Sign-up: pre-select the time zone the browser reports, when the list has it.
// Without JavaScript the list simply starts at Europe/London.
(function () {
  "use strict";
  var select = document.querySelector("select[data-guess-time-zone]");
  if (!select || !window.Intl) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!zone) { return; }
  for (var i = 0; i < select.options.length; i += 1) {
    if (select.options[i].value === zone) { select.value = zone; return; }
  }
}());
