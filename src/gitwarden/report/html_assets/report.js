"use strict";
// Filters over findings already in the page: nothing is fetched, nothing is built from text.
document.documentElement.classList.add("js");
(function () {
  const pick = (id) => document.getElementById(id);
  const controls = ["filter-severity", "filter-family", "filter-rule", "filter-suppressed"].map(pick);
  function apply() {
    const [severity, family, rule, suppressed] = controls;
    let shown = 0;
    for (const item of document.querySelectorAll(".finding")) {
      const visible =
        (!severity.value || item.dataset.severity === severity.value) &&
        (!family.value || item.dataset.family === family.value) &&
        (!rule.value || item.dataset.rule === rule.value) &&
        (suppressed.checked || item.dataset.suppressed !== "true");
      item.classList.toggle("hidden", !visible);
      if (visible) shown += 1;
    }
    for (const group of document.querySelectorAll(".file")) {
      group.classList.toggle("hidden", !group.querySelector(".finding:not(.hidden)"));
    }
    pick("shown-count").textContent = String(shown);
  }
  for (const control of controls) control.addEventListener("change", apply);
  apply();
})();
