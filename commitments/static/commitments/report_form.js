// Shows the chosen commitment's text next to the form while a report is entered.
window.addEventListener("load", function () {
  var $ = window.django && window.django.jQuery;
  var box = document.getElementById("commitment-text");
  if (!$ || !box) return;
  $("#id_commitment").on("change", function () {
    var pk = this.value;
    if (!pk) { box.textContent = ""; return; }
    var base = window.location.pathname.replace(/\/(add|\d+\/change)\/?$/, "/");
    fetch(base + "commitment-text/" + pk + "/", {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (c) {
        if (!c) return;
        box.textContent = c.code + " (" + c.reference + "): " + c.title + ". " + c.summary +
          " In force from " + c.in_force_from + (c.in_force_until ? " until " + c.in_force_until : "") + ".";
      });
  });
});
