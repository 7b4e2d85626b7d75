"""Earlier versions of a referral, and what changed between two of them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.checklist import summary
from app.checklist.promptset import load_version
from app.referrals.models import Referral, ReferralVersion
from app.referrals.service import ReferralNotFound


@dataclass(frozen=True)
class Change:
    group: str
    key: str
    before: str  # "" when added
    after: str  # "" when removed

    @property
    def kind(self) -> str:
        return "added" if not self.before else "removed" if not self.after else "changed"


def all_versions(*, session: Session, referral: Referral) -> list[ReferralVersion]:
    query = select(ReferralVersion).where(ReferralVersion.referral_id == referral.id)
    return list(session.exec(query.order_by(col(ReferralVersion.version))))


def get_version(*, session: Session, referral: Referral, version: int) -> ReferralVersion:
    row = session.exec(
        select(ReferralVersion).where(
            ReferralVersion.referral_id == referral.id, ReferralVersion.version == version
        )
    ).first()
    if row is None:
        raise ReferralNotFound()
    return row


def _rows(version: ReferralVersion) -> dict[str, tuple[str, str, str]]:
    ps = load_version(version.prompt_set_version)
    out: dict[str, tuple[str, str, str]] = {}
    for group in summary.summarise(ps, version.answers):
        title = group.title + (f": {group.child_name}" if group.child_name else "")
        for row in group.rows:
            out[row.path] = (title, row.key, row.value)
    return out


def changes(before: ReferralVersion, after: ReferralVersion) -> list[Change]:
    """Every answer added, removed or changed from ``before`` to ``after``, in page order."""
    old, new = _rows(before), _rows(after)
    order = list(new) + [p for p in old if p not in new]
    out: list[Change] = []
    for path in order:
        o, n = old.get(path), new.get(path)
        if o is not None and n is not None and o[2] == n[2]:
            continue
        group, key = (n or o)[0], (n or o)[1]  # type: ignore[index]
        out.append(Change(group=group, key=key, before=o[2] if o else "", after=n[2] if n else ""))
    if before.officer_grade != after.officer_grade:
        out.append(Change("Risk", "Officer's grade", before.officer_grade, after.officer_grade))
    return out
