// Level belongs to implementation reports, severity to violation reports: show only the one that fits
// the chosen kind. A hidden field is also disabled, so a value chosen before the kind changed is not sent.
// Without JavaScript both show, and the model's validation decides.
window.addEventListener("load", function () {
  var kind = document.getElementById("id_kind");
  if (!kind) return; // a read-only report: nothing to choose
  var fields = {level: "implementation", severity: "violation"};

  function toggle() {
    Object.keys(fields).forEach(function (name) {
      var select = document.getElementById("id_" + name);
      var row = select && select.closest(".form-row, .fieldBox");
      if (!row) return;
      var shown = !kind.value || kind.value === fields[name];
      row.style.display = shown ? "" : "none"; // not `hidden`: the admin's CSS may set `display`
      select.disabled = !shown;
    });
  }

  kind.addEventListener("change", toggle);
  toggle();
});
