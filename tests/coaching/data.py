"""A small hand-counted data set for the coaching figures (see each incident's note).

Period: 1 to 20 November 2026; "now" is 20 November 2026, 12:00 UTC. Teams A and B are coached;
team C is not. Expected figures are worked out by hand in tests/coaching/test_figures.py.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session

from app.accounts.models import Team, User
from app.checklist.models import Incident, IncidentStatus
from app.coaching.models import ScopeKind
from app.coaching.scope import Period, Scope
from app.referrals.models import (
    DecisionKind,
    Referral,
    ReferralStatus,
    ReferralVersion,
    ReviewDecision,
)
from tests.checklist.builders import child_answers, complete_answers
from tests.factories import make_team, make_user

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
PERIOD = Period("custom", date(2026, 11, 1), date(2026, 11, 20))
QUERY = "period=custom&from=2026-11-01&to=2026-11-20"


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def no_child(kind: str, log_ref: str) -> dict[str, Any]:
    """Closed at the gate: 8 questions apply (5 incident, 3 gate), 7 answered (no summary)."""
    return {
        "incident.log_ref": log_ref,
        "incident.type": kind,
        "incident.datetime": "2026-11-07T10:00:00+00:00",
        "incident.address": "9 Other Road",
        "gate.children_present": False,
        "gate.pregnancy": False,
        "gate.no_child_reason": "Lives alone; no children visit.",
    }


@dataclass
class World:
    a: Team
    b: Team
    c: Team
    officer_a: User
    officer_b: User
    officer_c: User
    incidents: dict[str, Incident]
    referrals: dict[str, Referral]

    def ids(self, *names: str) -> set[uuid.UUID]:
        return {self.incidents[n].id for n in names}

    def force(self) -> Scope:
        return Scope(ScopeKind.FORCE, frozenset({self.a.id, self.b.id}))


_refs = iter(range(900001, 999999))


def _incident(
    session: Session,
    officer: User,
    team: Team,
    answers: dict[str, Any],
    status: str,
    created: datetime,
) -> Incident:
    incident = Incident(
        client_uuid=uuid.uuid4(),
        officer_id=officer.id,
        team_id=team.id,
        prompt_set_version=1,
        answers=answers,
        status=IncidentStatus(status),
        created_at=created,
        updated_at=created,
        closed_at=created if status == IncidentStatus.NO_CHILD else None,
    )
    session.add(incident)
    session.flush()
    return incident


def _referral(
    session: Session,
    incident: Incident,
    versions: list[tuple[datetime, str, str]],  # submitted at, suggested, officer grade
    status: ReferralStatus,
) -> Referral:
    reference = f"TC-2026-{next(_refs):06d}"
    referral = Referral(
        incident_id=incident.id,
        reference=reference,
        officer_id=incident.officer_id,
        team_id=incident.team_id,
        status=status,
        version=len(versions),
        grade=versions[-1][2],
        created_at=versions[0][0],
        submitted_at=versions[-1][0],
    )
    session.add(referral)
    session.flush()
    for n, (when, suggested, grade) in enumerate(versions, start=1):
        session.add(
            ReferralVersion(
                referral_id=referral.id,
                version=n,
                prompt_set_version=1,
                answers=incident.answers,
                suggested_grade=suggested,
                reasons=[],
                officer_grade=grade,
                submitted_by=incident.officer_id,
                submitted_at=when,
            )
        )
    incident.status = IncidentStatus.SUBMITTED
    incident.reference = reference
    session.add(incident)
    return referral


def _decide(
    session: Session,
    referral: Referral,
    version: int,
    kind: DecisionKind,
    when: datetime,
    actor: User,
) -> None:
    session.add(
        ReviewDecision(
            referral_id=referral.id, version=version, kind=kind, actor_id=actor.id, at=when
        )
    )


def build(session: Session) -> World:
    a, b, c = make_team(session), make_team(session), make_team(session)
    officer_a = make_user(session, roles=["officer"], team=a)
    officer_b = make_user(session, roles=["officer"], team=b)
    officer_c = make_user(session, roles=["officer"], team=c)
    sup = make_user(session, roles=["supervisor"], supervises=[a, b, c])
    i: dict[str, Incident] = {}
    r: dict[str, Referral] = {}
    # I1 (A): domestic abuse, child seen, spoken to alone, words and demeanour recorded.
    # Incident 08:00, submitted 10:00 (2 h), high, approved at 10:30 (0.5 h: in time).
    i["I1"] = _incident(
        session, officer_a, a,
        complete_answers(
            incident__type="domestic_abuse",
            incident__datetime="2026-11-02T08:00:00+00:00",
            incident__address="1 High Street, Anytown",
        ),
        "draft", at(2, 9),
    )  # fmt: skip
    r["I1"] = _referral(session, i["I1"], [(at(2, 10), "high", "high")], ReferralStatus.APPROVED)
    _decide(session, r["I1"], 1, DecisionKind.APPROVED, at(2, 10, 30), sup)
    # I2 (A): crime; child seen, spoken to but not alone and no words. Incident 00:00,
    # submitted 12:00 (12 h: after the shift), officer graded medium below suggested high.
    # Returned at 23:00 (11 h: overdue for medium), resubmitted, regraded, approved in 1 h.
    i["I2"] = _incident(
        session, officer_a, a,
        complete_answers(
            incident__datetime="2026-11-05T00:00:00+00:00",
            incident__address="1 high street anytown",
            children=[child_answers(child__spoken_alone=False, voice__words=None)],
        ),
        "draft", at(5, 1),
    )  # fmt: skip
    r["I2"] = _referral(
        session,
        i["I2"],
        [(at(5, 12), "high", "medium"), (at(6, 1), "high", "medium")],
        ReferralStatus.APPROVED,
    )
    _decide(session, r["I2"], 1, DecisionKind.RETURNED, at(5, 23), sup)
    _decide(session, r["I2"], 2, DecisionKind.REGRADED, at(6, 1, 30), sup)
    _decide(session, r["I2"], 2, DecisionKind.APPROVED, at(6, 2), sup)
    # I3 (A): domestic abuse closed as no child identified (a child to notice).
    i["I3"] = _incident(
        session, officer_a, a, no_child("domestic_abuse", "=HYPERLINK(1)"), "no_child_identified",
        at(7, 11),
    )  # fmt: skip
    # I4 (A): a concern-for-welfare draft, incident 16 hours before now (a child to notice).
    i["I4"] = _incident(
        session, officer_a, a,
        {
            "incident.log_ref": "L4",
            "incident.type": "concern_for_welfare",
            "incident.datetime": "2026-11-19T20:00:00+00:00",
            "gate.children_present": True,
        },
        "draft", at(19, 21),
    )  # fmt: skip
    # I5 (B): missing found, same household as I1 and I2; child not seen, not spoken to.
    # Incident 10:00, submitted 11:00 (1 h), standard, not yet reviewed: due 24 h later, overdue.
    i["I5"] = _incident(
        session, officer_b, b,
        complete_answers(
            incident__type="missing_found",
            incident__datetime="2026-11-10T10:00:00+00:00",
            incident__address="1 High Street,  ANYTOWN.",
            children=[
                child_answers(
                    child__seen=False,
                    child__not_seen_reason="Asleep at a friend's house",
                    child__spoken_to=False,
                    child__not_spoken_reason="Not seen",
                    child__spoken_alone=None,
                    voice__words=None,
                    voice__afraid_to_go_home=None,
                    voice__disclosure=None,
                    voice__disclosure_time=None,
                    observed__demeanour=None,
                )
            ],
        ),
        "draft", at(10, 10, 30),
    )  # fmt: skip
    r["I5"] = _referral(
        session, i["I5"], [(at(10, 11), "standard", "standard")], ReferralStatus.SUBMITTED
    )
    # I6 (B): crime closed as no child identified: not a child-related type.
    i["I6"] = _incident(
        session, officer_b, b, no_child("crime", "L6"), "no_child_identified", at(12, 9)
    )
    # I7 (C, not coached): same household; must never show.
    i["I7"] = _incident(
        session, officer_c, c, complete_answers(incident__type="domestic_abuse"), "draft", at(3, 9)
    )
    r["I7"] = _referral(session, i["I7"], [(at(3, 10), "high", "high")], ReferralStatus.SUBMITTED)
    # I8 (A): a domestic abuse draft from October: outside the period.
    i["I8"] = _incident(
        session, officer_a, a, {"incident.type": "domestic_abuse"}, "draft", at(15, 9, month=10)
    )
    session.commit()
    return World(a, b, c, officer_a, officer_b, officer_c, i, r)


def one_case(session: Session) -> tuple[uuid.UUID, uuid.UUID]:
    """The data set, a coach of teams A and B, and one case of a sample drawn over the force:
    (the coach's id, the case's id). For tests of what coaches do to one case."""
    from sqlmodel import select

    from app.coaching import sampling
    from app.coaching.models import AuditCase
    from tests.factories import principal

    world = build(session)
    coach = make_user(session, roles=["coach"], coaches=[world.a, world.b])
    sample = sampling.create(
        session=session,
        coach=principal(session, coach),
        scope=world.force(),
        period=PERIOD,
        size=3,
        seed=1,
    )
    case_id = session.exec(select(AuditCase.id).where(AuditCase.sample_id == sample.id)).first()
    assert case_id is not None
    return coach.id, case_id
