"""The shared condition cases (``tests/checklist/conditions.json``, also run by pytest against
``app/checklist/answers/visibility.py``) hold in Chromium for ``static/js/checklist.mjs``: the
module the checklist pages load, imported from the running app."""

from __future__ import annotations

from playwright.sync_api import Browser

from tests.browser.conftest import PHONE
from tests.checklist.test_conditions_v2 import CASES

RUN = """async (cases) => {
  const m = await import("/static/js/checklist.mjs");
  return cases.map((c) => m.visible(c.when, (id) => m.lookupIn(c.answers, c.item, id)));
}"""


def test_every_condition_case_in_chromium(browser: Browser, live_server_v2: str) -> None:
    context = browser.new_context(base_url=live_server_v2, **PHONE)
    try:
        page = context.new_page()
        page.goto("/login")
        results = page.evaluate(RUN, CASES)
        wrong = [
            c["name"] for c, got in zip(CASES, results, strict=True) if got is not c["expected"]
        ]
        assert len(results) == len(CASES)
        assert wrong == []
    finally:
        context.close()
