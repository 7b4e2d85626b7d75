"""The shared validation cases (``tests/checklist/validation_cases.json``, also run by pytest
against the Python answer engine) hold in Chromium for ``static/js/offline/rules.mjs`` and
``required.mjs``: the modules the offline screens validate with, and suggest a grade with (the
suggestion, its reasons and what it adds to what is needed at submission), imported from the
running app."""

from __future__ import annotations

from playwright.sync_api import Browser

from app.assets import static_url
from tests.browser.conftest import PHONE, log_in
from tests.checklist.test_validation_cases_v2 import CASES

RUN = """async ([url, requiredUrl, cases]) => {
  const m = await import(url);
  const r = await import(requiredUrl);
  const ps = await (await fetch("/api/v1/prompt-set")).json();
  return cases.map((c) => {
    const shown = m.prune(ps, c.answers);
    const suggested = r.suggestion(ps, c.answers, { today: c.today });
    return {
      errors: m.validate(ps, shown, { today: c.today }),
      missing: r.missing(ps, c.answers),
      grade: suggested.grade,
      reasons: suggested.reasons,
      extras: r.gateCloses(shown) ? [] : r.extras(ps, shown, suggested.grade),
      needed: r.needed(ps, c.answers, { today: c.today }),
    };
  });
}"""


def test_every_validation_case_in_chromium(browser: Browser, live_server_v2: str) -> None:
    context = browser.new_context(base_url=live_server_v2, **PHONE)
    try:
        page = context.new_page()
        log_in(page, "officer1")
        url = static_url("js/offline/rules.mjs")
        required = static_url("js/offline/required.mjs")
        results = page.evaluate(RUN, [url, required, CASES])  # list caps: from the prompt set
        assert len(results) == len(CASES)
        keys = ("errors", "missing", "grade", "reasons", "extras")
        wrong = [
            (c["name"], got)
            for c, got in zip(CASES, results, strict=True)
            if got != {**{k: c[k] for k in keys}, "needed": c["missing"] + c["extras"]}
        ]
        assert wrong == []
    finally:
        context.close()
