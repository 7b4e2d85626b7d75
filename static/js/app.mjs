// Think Child: start the GOV.UK Frontend components we use. A module file, never inline (the CSP
// forbids it). "/static/..." imports are rewritten to fingerprinted names by app/assets/build.py.
import { initAll } from "/static/vendor/govuk-frontend-6.3.0/govuk-frontend.min.mjs";
import "/static/js/checklist.mjs";
import "/static/js/pwa.mjs";
import "/static/js/quick-hide.mjs";

document.documentElement.classList.add("js-enabled");
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
