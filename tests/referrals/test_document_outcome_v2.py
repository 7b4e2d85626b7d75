"""A format 2 referral document page shows the MASH's latest decision too."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.factories import make_team
from tests.helpers import Browserless
from tests.referrals.test_document_outcome import (
    LATER,
    outcome_block,
    page_as,
    people,
    report,
    sent,
)
from tests.referrals.test_document_v2 import make_v2_referral

pytestmark = pytest.mark.db


def test_a_v2_document_page_shows_the_latest_outcome(client: Browserless, session: Session) -> None:
    team = make_team(session)
    officer, _, coach = people(session, team)
    referral = sent(session, make_v2_referral(session, officer, team))
    report(session, referral, "k-1", LATER)
    block = outcome_block(page_as(client, coach, referral))
    assert "Child protection enquiry (section 47)" in block
    assert "25 Nov 2026, 14:05" in block
