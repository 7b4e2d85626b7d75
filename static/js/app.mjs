// Think Child: start the GOV.UK Frontend components we use. A module file, never inline (the CSP
// forbids it). "/static/..." imports are rewritten to fingerprinted names by app/assets/build.py.
import { initAll } from "/static/vendor/govuk-frontend-6.3.0/govuk-frontend.min.mjs";
import "/static/js/checklist.mjs";
import "/static/js/pwa.mjs";
import "/static/js/quick-hide.mjs";

document.documentElement.classList.add("js-enabled");
document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// A field changed before the page's scripts had started (on one bar of signal a person can type
// or pick a filter while htmx is still on its way): its change event went unheard, so nothing
// would save or apply it until the next one. htmx starts on DOMContentLoaded, before this
// listener (its script comes first in the page): tell it now.
function changedSinceDrawn(form) {
  return [...form.elements].find((el) => {
    if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
    if (el.tagName === "SELECT") return [...el.options].some((o) => o.selected !== o.defaultSelected);
    if (el.type === "hidden" || !("defaultValue" in el)) return false;
    return el.value !== el.defaultValue;
  });
}

document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[hx-trigger]")) {
    changedSinceDrawn(form)?.dispatchEvent(new Event("change", { bubbles: true }));
  }
}, { once: true });
