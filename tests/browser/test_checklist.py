"""The officer's checklist in real Chromium on a phone (390x844): the whole flow from "Start an
incident" to "Referral submitted", once with JavaScript and once without, axe-core clean on each
kind of screen, and (with JavaScript) follow-up questions, autosave and resuming.

A realistic case: domestic abuse, one child seen and spoken to alone, who disclosed abuse; so the
suggested grade is High, with its reasons on the check page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import PHONE, assert_accessible, assert_fits, log_in

REFERENCE = re.compile(r"TC-\d{4}-\d{6}")


@pytest.fixture(params=[True, False], ids=["javascript", "no-javascript"])
def phone_js(
    request: pytest.FixtureRequest, browser: Browser, live_server: str
) -> Iterator[tuple[Page, Page | None]]:
    """A phone's page, with JavaScript on or off; without it, a second page (with JavaScript)
    where axe-core checks copies of the first page's screens."""
    js = bool(request.param)
    context = browser.new_context(base_url=live_server, java_script_enabled=js, **PHONE)
    context.set_default_timeout(10_000)
    checker = None
    if not js:
        checker = browser.new_context(base_url=live_server, **PHONE).new_page()
        checker.goto("/healthz")  # the copies' links and styles resolve against the server
    yield context.new_page(), checker
    context.close()
    if checker is not None:
        checker.context.close()


SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.S)


class Officer:
    """One officer's phone, filling the checklist as a person would: by the words on screen."""

    def __init__(self, page: Page, checker: Page | None) -> None:
        self.page = page
        self.js = checker is None
        self.checker = checker
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def group(self, legend: str) -> Locator:
        return self.page.get_by_role("group", name=legend, exact=True)

    def pick(self, legend: str, *options: str) -> None:
        """Choose a radio option, or tick checkboxes, in the question called ``legend``."""
        for option in options:
            self.group(legend).get_by_label(option, exact=True).check()

    def fill(self, label: str, text: str) -> None:
        self.page.get_by_label(label, exact=True).fill(text)

    def date(self, prompt_id: str, day: str, month: str, year: str, time: str = "") -> None:
        field = "#f-" + prompt_id.replace(".", "-")
        self.page.fill(f"{field}-day", day)
        self.page.fill(f"{field}-month", month)
        self.page.fill(f"{field}-year", year)
        if time:
            self.page.fill(f"{field}-time", time)

    def heading(self) -> str:
        return self.page.locator("h1").inner_text().strip()

    def save(self, expect_heading: str | re.Pattern[str]) -> None:
        self.press("Save and continue", expect_heading)

    def press(self, button: str, expect_heading: str | re.Pattern[str]) -> None:
        self.page.get_by_role("button", name=button, exact=True).click()
        summary = self.page.locator(".govuk-error-summary")
        if summary.count() and not isinstance(expect_heading, re.Pattern):
            assert expect_heading == self.heading(), summary.inner_text()
        expect(self.page.locator("h1")).to_have_text(expect_heading)

    def check_screen(self) -> None:
        """axe-core finds nothing, and nothing scrolls sideways. Without JavaScript, Playwright
        cannot run axe in the page itself: it runs on a copy of it, scripts removed."""
        page = self.page
        if self.checker is not None:
            html = SCRIPT.sub("", page.content())
            self.checker.set_content(html, wait_until="load")
            page = self.checker
        assert_accessible(page)
        assert_fits(page)

    def prompt(self, prompt_id: str) -> Locator:
        return self.page.locator(f'[data-prompt="{prompt_id}"]')


def test_the_whole_checklist_on_a_phone(phone_js: tuple[Page, Page | None]) -> None:
    page, checker = phone_js
    me = Officer(page, checker)
    js = me.js
    log_in(page, "officer3" if js else "officer4")  # team B: apart from the review tests
    expect(page.locator("h1")).to_have_text("Your incidents")
    me.check_screen()

    # 1. Incident
    page.get_by_role("button", name="Start an incident").click()
    expect(page.locator("h1")).to_have_text("Incident")
    incident_url = page.url
    me.fill("Incident or occurrence number", "INC-2026-0412-077")
    if js:  # autosave: saved on the server without pressing a button
        page.keyboard.press("Tab")
        expect(page.locator("#save-status")).to_contain_text("Saved at")
        page.goto(incident_url)  # leave and come back: the answer is there
        expect(page.get_by_label("Incident or occurrence number", exact=True)).to_have_value(
            "INC-2026-0412-077"
        )
    me.pick("Type of incident", "Domestic abuse")
    me.date("incident.datetime", "12", "4", "2026", "22:40")
    me.fill("Address or location of the incident", "14 Elm Road, Anytown AB1 2CD")
    me.check_screen()
    me.save("What happened")
    me.fill(
        "What happened",
        "Neighbour called 999 hearing screaming. Mother had a cut lip; father had left.",
    )
    me.save("Think Child")

    # 2. Think Child gate
    me.check_screen()
    if js:
        expect(me.prompt("gate.no_child_reason")).to_be_hidden()  # until answered
        me.pick(
            "Is any child under 18 present, living there, or linked to the people involved?", "No"
        )
        me.pick("Is anyone involved pregnant, or have they had a baby in the last 18 months?", "No")
        expect(me.prompt("gate.no_child_reason")).to_be_visible()
    me.pick("Is any child under 18 present, living there, or linked to the people involved?", "Yes")
    me.pick("Is anyone involved pregnant, or have they had a baby in the last 18 months?", "No")
    if js:
        expect(me.prompt("gate.no_child_reason")).to_be_hidden()
    me.save("Add each child")

    # 3. The child
    me.check_screen()
    me.press("Add a child", "Each child")
    me.fill("Child's full name", "Mia Jones")
    me.date("child.dob", "31", "2", "2018")  # no such date: the officer mistypes
    me.pick("Sex", "Female")
    me.pick("Is the child known to children's social care?", "Not known")
    me.pick("Was the child there during the incident?", "Yes")
    me.fill("Where was the child during the incident?", "On the landing, then in her bedroom")
    if js:
        expect(me.prompt("child.not_seen_reason")).to_be_hidden()  # until answered
        me.pick("Did you see the child yourself?", "No")
        expect(me.prompt("child.not_seen_reason")).to_be_visible()
    me.pick("Did you see the child yourself?", "Yes")
    if js:
        expect(me.prompt("child.not_seen_reason")).to_be_hidden()
    me.pick("Did you speak to the child?", "Yes")
    me.pick("Did you speak to the child away from the adults?", "Yes")
    me.check_screen()
    me.save("Each child")  # refused: the error page
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Enter the child's date of birth as a real date")
    if js:  # GOV.UK Frontend moves focus to the summary (once its module has run)
        expect(summary).to_be_focused()
    # Nothing typed was lost.
    expect(page.get_by_label("Child's full name", exact=True)).to_have_value("Mia Jones")
    expect(page.locator("#f-child-dob-day")).to_have_value("31")
    expect(me.group("Sex").get_by_label("Female", exact=True)).to_be_checked()
    me.check_screen()
    summary.get_by_role("link").first.click()
    if js:  # the summary's link takes the officer to the field
        expect(page.locator("#f-child-dob-day")).to_be_focused()
    me.date("child.dob", "28", "2", "2018")
    me.save("Children")
    assert "Mia Jones" in page.locator("main").inner_text()
    page.get_by_role("button", name="Continue").click()  # a link drawn as a button

    # 4. Voice of the child
    expect(page.locator("h1")).to_have_text("What did the child say?")
    me.check_screen()
    me.fill("What did the child say?", '"Daddy hurt mummy. He grabbed my arm and it hurts."')
    me.save("Voice of the child")
    me.fill("Who else was there when you spoke to the child?", "PC Shah")
    me.fill("What are the child's wishes and feelings?", "She wants to stay with her mum.")
    me.pick("Did the child say or show that they are afraid to go home?", "No")
    me.save("Has the child told you or anyone else about abuse or harm to them?")
    if js:
        expect(me.prompt("voice.disclosure_time")).to_be_hidden()  # until answered
    me.pick("Has the child told you or anyone else about abuse or harm to them?", "Yes")
    expect(page.get_by_text("Do not probe.")).to_be_visible()
    me.date("voice.disclosure_time", "12", "4", "2026", "23:05")
    me.check_screen()
    me.save("What you saw")

    # 5. What you saw, with an injury
    me.fill("How did the child behave and seem?", "Quiet, watchful, holding her arm.")
    me.pick("Did you see any mark or injury on the child?", "Yes")
    me.pick("Does the child need medical attention?", "No")
    me.press("Add an injury", "Injury 1")
    me.fill("Where on the body?", "Left upper arm, inner side")
    me.fill("Size", "3cm by 1cm")
    me.fill("Colour", "Red, fresh")
    me.pick("Is the skin broken?", "No")
    me.fill("What was said about how it happened, and by whom?", '"Daddy grabbed me" (Mia)')
    me.check_screen()
    me.save("What you saw")
    assert "Left upper arm" in page.locator("main").inner_text()
    me.check_screen()
    me.save("What did you find in the home?")

    # 6. Home
    me.pick("What did you find in the home?", "None of these")
    me.check_screen()
    me.save("Home conditions")
    me.pick("Is a parent or carer able to look after the children safely now?", "Yes")
    me.check_screen()
    me.save("Household")

    # 7. Household, with an adult
    me.press("Add an adult", "Adult 1")
    me.fill("Full name", "Lee Jones")
    me.date("adult.dob", "3", "9", "1988")
    me.fill("Relationship to the child or children", "Father")
    me.pick("Do they have parental responsibility?", "Yes")
    me.pick("Do they live there?", "Yes")
    me.pick("Are they a suspect in this incident?", "Yes")
    me.save("Household")
    assert "Lee Jones" in page.locator("main").inner_text()
    me.pick("Are any of these present in the household?", "Domestic abuse")
    me.fill("How many incidents have involved this household in the last 12 months?", "1")
    me.check_screen()
    me.save("What are your concerns for the children?")

    # 8. Concerns
    if js:
        expect(me.prompt("concern.da_abuser_hurt_children")).to_be_hidden()  # until answered
    me.pick("What are your concerns for the children?", "Domestic abuse seen or heard by the child")
    me.pick("Has the abuser ever hurt the children?", "Yes")
    me.pick("Is there conflict over contact with the children?", "No")
    me.pick("Has a DASH risk assessment been completed?", "No")
    me.check_screen()
    me.save("Immediate actions")

    # 9. Immediate actions
    me.pick("Did you use police protection (Children Act 1989 section 46)?", "No")
    me.pick("What else have you done?", "Made an arrest", "Called children's social care now")
    me.pick(
        "Operation Encompass: has the child's school been told before the next school day?", "Yes"
    )
    me.check_screen()
    me.save("Information sharing")

    # 10. Information sharing
    me.pick("Did you ask the parents or carers for consent to share information?", "Yes")
    me.pick("Did they give consent?", "Yes")
    me.pick("Have the parents or carers been told about this referral?", "Yes")
    me.check_screen()
    me.save("Check your answers")

    # 11. Check your answers, grade and submit
    main = page.locator("main")
    expect(main).to_contain_text("Suggested grade: High")
    expect(main).to_contain_text("High because: the child disclosed abuse (Mia Jones)")
    expect(main).to_contain_text("the abuser has hurt the children")
    expect(main).to_contain_text('"Daddy hurt mummy. He grabbed my arm and it hurts."')
    me.pick("Your risk grade", "High")
    me.fill("Why did you choose this grade?", "Mia disclosed that her father grabbed her arm.")
    me.pick("I confirm this record is accurate and complete to the best of my knowledge", "Yes")
    me.check_screen()
    page.get_by_role("button", name="Submit referral").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Referral submitted")
    reference = REFERENCE.search(page.locator(".govuk-panel__body").inner_text())
    assert reference
    me.check_screen()
    page.goto("/incidents")
    expect(page.get_by_role("link", name=reference[0])).to_be_visible()
    # The error page is a 422 on purpose; anything else in the console is a fault.
    assert [e for e in me.errors if "status of 422" not in e] == []
