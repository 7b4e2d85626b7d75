"""The v2 checklist in real Chromium on a phone (390x844), with JavaScript, axe-core clean on
each screen: a domestic abuse incident with one child who disclosed abuse by a parent, from
"Start an incident" to "Referral submitted". On the way: the guidance card before the child
questions, follow-ups shown as answered (disclosure, one-chance warning, sharing basis), the
household domestic abuse screen, the urgent call, and Operation Encompass on the check page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, log_in
from tests.browser.test_checklist import REFERENCE, Officer


@pytest.fixture
def phone_v2(browser: Browser, live_server_v2: str) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server_v2, **PHONE)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_the_whole_v2_checklist_on_a_phone(phone_v2: Page) -> None:
    page = phone_v2
    me = Officer(page, None)
    log_in(page, "officer1")
    page.get_by_role("button", name="Start an incident").click()

    # Incident
    expect(page.locator("h1")).to_have_text("Incident")
    expect(page.get_by_text("Step 1 of 12")).to_be_visible()
    me.fill("Incident or occurrence number", "INC-2026-0412-078")
    me.pick("Type of incident", "Domestic abuse")
    me.date("incident.datetime", "10", "4", "2026", "22:40")  # a Friday night
    me.fill("Address or location of the incident", "14 Elm Road, Anytown AB1 2CD")
    expect(me.prompt("incident.bwv_ref")).to_be_hidden()
    me.pick("Did you record body-worn video?", "Yes")
    expect(me.prompt("incident.bwv_ref")).to_be_visible()
    me.fill("Body-worn video reference", "BWV-5521")
    me.check_screen()
    me.save("What happened")
    me.fill("What happened", "Neighbour heard screaming. Mother had a cut lip.")
    me.save("Think Child")

    # Gate
    me.pick("Is any child under 18 present, living there, or linked to the people involved?", "Yes")
    me.pick("Is anyone involved pregnant, or have they had a baby in the last 18 months?", "No")
    me.save("Add each child")

    # The child: the guidance card first
    me.press("Add a child", "Each child")
    card = page.locator('[data-prompt="child.guidance"]')
    expect(card).to_contain_text("Speak to each child away from the adults")
    first_question = page.locator('[data-prompt="child.name"]')
    assert card.bounding_box()["y"] < first_question.bounding_box()["y"]  # type: ignore[index]
    me.fill("Child's full name", "Mia Jones")
    me.date("child.dob", "28", "2", "2018")
    me.pick("Sex", "Female")
    expect(me.prompt("child.address_if_different")).to_be_hidden()
    me.pick("Does the child live at the incident address?", "Yes")
    me.fill("School, college or nursery", "Elm Road Primary")
    me.pick("Is the child known to children's social care?", "Not known")
    me.pick("Was the child there during the incident?", "Yes")
    me.pick("Did you see the child yourself?", "Yes")
    me.pick("Has anyone else reported a mark or injury on the child?", "No")
    me.pick("Did you speak to the child?", "Yes")
    me.pick("Did you speak to the child away from the adults?", "Yes")
    me.fill("Where will the child sleep tonight, and who with?", "At home with her mother")
    me.pick("Have you checked that person and address on police systems?", "Yes")
    me.check_screen()
    me.save("Children")
    page.get_by_role("button", name="Continue").click()

    # Voice
    expect(page.locator("h1")).to_have_text("What did the child say?")
    me.fill("What did the child say?", '"Daddy hurt mummy. He grabbed my arm."')
    me.save("Voice of the child")
    me.pick("Did the child say or show that they are afraid to go home?", "No")
    expect(me.prompt("voice.disclosure_about")).to_be_hidden()
    me.pick("Has the child told you or anyone else about abuse or harm to them?", "Yes")
    expect(me.prompt("voice.disclosure_about")).to_be_visible()
    me.pick("Who did the child say harmed them?", "A parent or carer")
    me.pick("Was it about sexual abuse?", "No")
    me.pick("Who did the child tell?", "Me (the officer)")
    expect(me.prompt("voice.disclosure_reported_words")).to_be_hidden()
    me.pick("Will the person the child named be with the child tonight?", "No")
    me.date("voice.disclosure_time", "10", "4", "2026", "23:05")
    me.check_screen()
    me.save("What you saw")

    # What you saw
    me.fill("How did the child behave and seem?", "Quiet, watchful, holding her arm.")
    me.pick("Did you see any mark or injury on the child?", "No")
    me.pick("Does the child need medical attention?", "No")
    me.save("What are your concerns for this child?")

    # Concerns for this child: the one-chance warning appears with its category
    warning = me.prompt("concern.one_chance")
    expect(warning).to_be_hidden()
    me.pick(
        "What are your concerns for this child?",
        "FGM, forced marriage or so-called honour-based abuse",
    )
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("do not tell or involve the family")
    me.check_screen()
    me.group("What are your concerns for this child?").get_by_label(
        "FGM, forced marriage or so-called honour-based abuse", exact=True
    ).uncheck()
    expect(warning).to_be_hidden()
    me.pick(
        "What are your concerns for this child?", "Domestic abuse seen, heard or felt by the child"
    )
    me.save("What did you find in the home?")

    # Home and household
    me.pick("What did you find in the home?", "None of these")
    me.save("Home conditions")
    me.pick("Is a parent or carer able to look after the children safely now?", "Yes")
    me.save("Household")
    me.press("Add an adult", "Adult 1")
    me.fill("Full name", "Lee Jones")
    me.fill("Relationship to the child or children", "Father")
    me.pick("Do they have parental responsibility?", "Yes")
    me.pick("Do they live there?", "Yes")
    me.pick("Are they a suspect in this incident?", "Yes")
    me.pick("Have you checked them on police systems?", "Yes")
    me.pick("Do police systems show they pose a risk to children?", "No")
    me.check_screen()
    me.save("Household")
    me.fill(
        "How many domestic abuse or child-concern incidents have involved this household in "
        "the last 12 months?",
        "1",
    )
    me.save("Domestic abuse")

    # Domestic abuse, for the household
    expect(page.get_by_text("Step 9 of 12")).to_be_visible()
    for question in [
        "Has the abuser ever hurt the children?",
        "Is there conflict over contact with the children?",
        "Has the abuser ever strangled, choked or suffocated the victim, now or before?",
        "Was a weapon used or threatened?",
        "Has the abuser threatened to kill anyone?",
        "Have they recently separated, or is one of them planning to leave?",
        "Is the abuser stalking or harassing the victim?",
        "Is the victim pregnant?",
    ]:
        me.pick(question, "No")
    expect(me.prompt("concern.dash_score")).to_be_hidden()
    me.pick("Which risk assessment did you complete?", "DASH")
    expect(me.prompt("concern.dash_score")).to_be_visible()
    me.pick("What risk level did it give?", "Medium")
    me.fill("DASH score (number of yes answers)", "11")
    me.check_screen()
    me.save("Immediate actions")

    # Immediate actions, with the urgent call
    me.pick("Did you use police protection (Children Act 1989 section 46)?", "No")
    me.pick("What else have you done?", "Made an arrest")
    me.fill(
        "Urgent call: who did you speak to at the MASH or emergency duty team?",
        "Sam Patel, MASH duty social worker",
    )
    me.date("action.urgent_call_time", "10", "4", "2026", "23:30")
    me.fill("Urgent call: what was agreed?", "Strategy discussion at 9am.")
    me.check_screen()
    me.save("Information sharing")

    # Information sharing: the basis first, consent questions only for consent
    expect(me.prompt("sharing.consent_sought")).to_be_hidden()
    me.pick("On what basis are you sharing this information?", "With consent")
    expect(me.prompt("sharing.consent_sought")).to_be_visible()
    me.pick("On what basis are you sharing this information?", "To safeguard a child at risk")
    expect(me.prompt("sharing.consent_sought")).to_be_hidden()
    me.pick("Who else knows about this child?", "School or nursery")
    me.pick("Have the parents or carers been told about this referral?", "Yes")
    me.check_screen()
    me.save("Check your answers")

    # Check your answers: grade, Encompass, submit
    main = page.locator("main")
    expect(main).to_contain_text("Suggested grade: High")
    expect(main).to_contain_text(
        "Elm Road Primary, for Mia Jones (age 8): before school on Monday 13 April 2026"
    )
    me.pick("Your risk grade", "High")
    me.fill("Why did you choose this grade?", "Mia disclosed that her father grabbed her arm.")
    me.pick("What are you asking children's social care to do?", "Hold a strategy discussion")
    me.pick("I confirm this record is accurate and complete to the best of my knowledge", "Yes")
    me.check_screen()
    page.get_by_role("button", name="Submit referral").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Referral submitted")
    assert REFERENCE.search(page.locator(".govuk-panel__body").inner_text())
    me.check_screen()
    assert me.errors == []
