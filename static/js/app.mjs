// Think Child: start GOV.UK Frontend's components. A module file, never inline (the CSP forbids it).
import { initAll } from "/static/vendor/govuk-frontend-6.3.0/govuk-frontend.min.js";
import "/static/js/checklist.mjs";
import "/static/js/pwa.mjs";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
