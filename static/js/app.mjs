// Think Child: start GOV.UK Frontend's components. A module file, never inline (the CSP forbids it).
import { initAll } from "/static/vendor/govuk-frontend-6.3.0/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// htmx swaps new content in: start any GOV.UK components inside it too.
document.body.addEventListener("htmx:afterSettle", (event) => {
  initAll({ scope: event.detail.elt });
});
