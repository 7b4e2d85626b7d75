"""Audit of a sample: draw referrals at random (seeded, so the same seed draws the same ones),
score each against the rubric, and roll the scores up. One commit per action, audited."""

from __future__ import annotations

import random
import secrets
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import Session, col, select

from app.accounts.service import Principal
from app.audit import service as audit
from app.coaching import rubric
from app.coaching.models import AuditCase, AuditSample, AuditScore, ScopeKind, Score
from app.coaching.scope import Period, Scope
from app.errors import DomainError, NotFound
from app.models_base import utcnow
from app.referrals.models import Referral

T = TypeVar("T")
MAX_SIZE = 50
SEED_LIMIT = 2**31


class SampleNotFound(NotFound):
    code = "sample_not_found"


class NothingToSample(DomainError):
    status_code = 422
    code = "nothing_to_sample"


class IncompleteScores(DomainError):
    status_code = 422
    code = "incomplete_scores"

    def __init__(self, missing: list[str]) -> None:
        super().__init__("criteria not scored")
        self.missing = missing


def draw(candidates: Sequence[T], seed: int, size: int) -> list[T]:
    """``size`` of ``candidates`` (in their given order), chosen by ``seed`` alone."""
    return random.Random(seed).sample(list(candidates), min(size, len(candidates)))  # noqa: S311


def candidates(*, session: Session, scope: Scope, period: Period) -> list[Referral]:
    """Referrals of the scope first submitted in the period, in reference order."""
    if not scope.team_ids:
        return []
    query = select(Referral).where(
        col(Referral.team_id).in_(scope.team_ids),
        col(Referral.created_at) >= period.since,
        col(Referral.created_at) < period.until,
    )
    if scope.officer_id is not None:
        query = query.where(Referral.officer_id == scope.officer_id)
    return list(session.exec(query.order_by(col(Referral.reference))))


def create(
    *,
    session: Session,
    coach: Principal,
    scope: Scope,
    period: Period,
    size: int,
    seed: int | None = None,
) -> AuditSample:
    seed = secrets.randbelow(SEED_LIMIT) if seed is None else seed
    chosen = draw(candidates(session=session, scope=scope, period=period), seed, size)
    if not chosen:
        raise NothingToSample()
    sample = AuditSample(
        coach_id=coach.id,
        scope_kind=scope.kind,
        scope_id=scope.scope_id,
        period_from=period.start,
        period_to=period.end,
        seed=seed,
        size=size,
    )
    session.add(sample)
    session.flush()
    session.add_all(
        AuditCase(sample_id=sample.id, referral_id=r.id, position=n, version=r.version)
        for n, r in enumerate(chosen, start=1)
    )
    audit.record(
        session=session,
        action="coaching.sample_drawn",
        actor_id=coach.id,
        actor_name=coach.user.username,
        object_type="audit_sample",
        object_id=str(sample.id),
        reason="child protection coaching: audit of a sample",
        detail={"seed": seed, "size": size, "references": [r.reference for r in chosen]},
    )
    session.commit()
    return sample


def scope_of(sample: AuditSample, coach: Principal) -> Scope:
    """The scope a sample was drawn for, limited to the teams the coach coaches now."""
    coached = frozenset(coach.coaches)
    if sample.scope_kind == ScopeKind.TEAM and sample.scope_id is not None:
        return Scope(ScopeKind.TEAM, coached & {sample.scope_id})
    if sample.scope_kind == ScopeKind.OFFICER:
        return Scope(ScopeKind.OFFICER, coached, sample.scope_id)
    return Scope(ScopeKind.FORCE, coached)


def get(*, session: Session, coach: Principal, sample_id: uuid.UUID) -> AuditSample:
    sample = session.get(AuditSample, sample_id)
    if sample is None or sample.coach_id != coach.id:
        raise SampleNotFound()
    return sample


def list_mine(*, session: Session, coach: Principal) -> list[AuditSample]:
    query = select(AuditSample).where(AuditSample.coach_id == coach.id)
    return list(session.exec(query.order_by(col(AuditSample.created_at).desc())))


@dataclass(frozen=True)
class CaseView:
    case: AuditCase
    referral: Referral
    scores: dict[str, AuditScore]


def cases(*, session: Session, sample: AuditSample) -> list[CaseView]:
    rows = session.exec(
        select(AuditCase, Referral)
        .join(Referral, col(Referral.id) == col(AuditCase.referral_id))
        .where(AuditCase.sample_id == sample.id)
        .order_by(col(AuditCase.position))
    ).all()
    scores: dict[uuid.UUID, dict[str, AuditScore]] = {c.id: {} for c, _ in rows}
    if rows:
        for s in session.exec(select(AuditScore).where(col(AuditScore.case_id).in_(list(scores)))):
            scores[s.case_id][s.criterion] = s
    return [CaseView(c, r, scores[c.id]) for c, r in rows]


def get_case(*, session: Session, coach: Principal, case_id: uuid.UUID) -> CaseView:
    case = session.get(AuditCase, case_id)
    if case is None:
        raise SampleNotFound()
    sample = get(session=session, coach=coach, sample_id=case.sample_id)
    return next(v for v in cases(session=session, sample=sample) if v.case.id == case_id)


def score(
    *,
    session: Session,
    coach: Principal,
    case_id: uuid.UUID,
    scores: Mapping[str, tuple[Score, str]],
) -> AuditCase:
    """Score every criterion of the rubric (yes, no or not applicable, with a comment). The
    case is locked before its scores are read: the same case scored twice at once (two tabs, a
    double press) is saved in turn, the later in force, never one score added twice."""
    session.exec(select(AuditCase).where(AuditCase.id == case_id).with_for_update()).first()
    view = get_case(session=session, coach=coach, case_id=case_id)
    missing = [c for c in rubric.load().ids() if c not in scores]
    if missing:
        raise IncompleteScores(missing)
    for criterion in rubric.load().ids():
        value, comment = scores[criterion]
        row = view.scores.get(criterion) or AuditScore(
            case_id=case_id, criterion=criterion, score=value
        )
        row.score, row.comment = value, comment.strip()[:2000]
        session.add(row)
    view.case.scored_at = utcnow()
    session.add(view.case)
    audit.record(
        session=session,
        action="coaching.case_scored",
        actor_id=coach.id,
        actor_name=coach.user.username,
        object_type="referral",
        object_id=str(view.referral.id),
        reason="child protection coaching: audit of a sample",
        detail={
            "reference": view.referral.reference,
            "scores": {c: scores[c][0].value for c in rubric.load().ids()},
        },
    )
    session.commit()
    return view.case


def score_rows(*, session: Session, scope: Scope, period: Period) -> list[rubric.ScoreRow]:
    """Every audit score on referrals of the scope first submitted in the period."""
    if not scope.team_ids:
        return []
    query = (
        select(Referral.team_id, AuditScore.criterion, AuditScore.score)
        .join(AuditCase, col(AuditCase.id) == col(AuditScore.case_id))
        .join(Referral, col(Referral.id) == col(AuditCase.referral_id))
        .where(
            col(Referral.team_id).in_(scope.team_ids),
            col(Referral.created_at) >= period.since,
            col(Referral.created_at) < period.until,
        )
    )
    if scope.officer_id is not None:
        query = query.where(Referral.officer_id == scope.officer_id)
    return [rubric.ScoreRow(t, c, Score(s)) for t, c, s in session.exec(query)]
