"""The dashboard's daily roll-up: for each team, day (UTC, the incident's start), officer and
incident type, every count the figures add up (``daily_tally``); what each incident adds to it
now (``incident_tally``), so a change moves exactly the incident's old contribution out and its
new one in; and one row a referral version for the review figures that cannot be added up
(``review_tally``: the median time to review, reviews waiting now); and one row a supervisor's
decision with its quality check's marks (``decision_tally``). app/coaching/rollup.py keeps
them current; app/coaching/rollup_sources.py works each incident's rows out."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Uuid,
)
from sqlmodel import SQLModel

from app.models_base import UTCDateTime
from app.review.quality import CRITERIA

# Each count a figure adds up: of incidents, children, prompts, or (the last two) reviews.
INCIDENT_COUNTS = (
    "incidents", "no_child", "child_identified", "referrals", "submitted", "timed",
    "after_shift", "returned", "officer_below", "supervisor_changed", "applicable", "answered",
    "completion_short", "spoken_to", "words", "alone", "seen_applies", "seen",
    "demeanour_applies", "demeanour", "voice_words_short", "spoken_alone_short", "seen_short",
    "demeanour_short",
)  # fmt: skip
REVIEW_COUNTS = ("reviewed", "reviewed_late")  # versions whose review ended; of those, late
COUNTS = INCIDENT_COUNTS + REVIEW_COUNTS
KEY = ("team_id", "day", "officer_id", "incident_type")


def _counters() -> list[Column[int]]:
    return [Column(name, Integer, nullable=False) for name in COUNTS]


daily_tally = Table(
    "daily_tally",
    SQLModel.metadata,
    Column("team_id", Uuid, ForeignKey("team.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("officer_id", Uuid, ForeignKey("app_user.id"), primary_key=True),
    Column("incident_type", String(60), primary_key=True),
    *_counters(),
)

# The same counts without the officer, for a team's or the force's view (about ten times fewer
# rows to add up than with each officer apart).
TEAM_KEY = ("team_id", "day", "incident_type")
team_tally = Table(
    "team_tally",
    SQLModel.metadata,
    Column("team_id", Uuid, ForeignKey("team.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("incident_type", String(60), primary_key=True),
    *_counters(),
)

LISTS_INDEX = (
    "team_id", "status", "started_at", "incident_type", "happened_at", "officer_id", "incident_id",
)  # fmt: skip
REFERRED_INDEX = (
    "referral_team_id", "referred_at", "address_key", "referral_officer_id", "incident_id",
)  # fmt: skip

# No foreign key to the incident: its rows outlive the incident's deletion in the same flush,
# long enough to take its contribution out of the roll-up.
incident_tally = Table(
    "incident_tally",
    SQLModel.metadata,
    Column("incident_id", Uuid, primary_key=True),
    Column("team_id", Uuid, nullable=True),  # an incident without a team is in no scope
    Column("day", Date, nullable=False),
    Column("officer_id", Uuid, nullable=False),
    Column("incident_type", String(60), nullable=False),
    # From the incident to its first submission, when both times are known (for the median).
    Column("to_submission_ms", BigInteger, nullable=True),
    *_counters(),
    # For the lists of children to notice: when it was started, its status, when it happened
    # (or, without its time, was started); its referral's team, officer and time, and its
    # normalised address (households).
    Column("started_at", UTCDateTime, nullable=False),
    Column("status", String(30), nullable=False),
    Column("happened_at", UTCDateTime, nullable=False),
    Column("referral_team_id", Uuid, nullable=True),
    Column("referral_officer_id", Uuid, nullable=True),
    Column("referred_at", UTCDateTime, nullable=True),
    Column("address_key", String(200), nullable=True),
    # The median reads the period's times from the index alone.
    Index("ix_incident_tally_to_submission", "team_id", "day", "officer_id", "to_submission_ms"),
    # Closed with no child, drafts after a shift: one index range per team and status.
    Index("ix_incident_tally_lists", *LISTS_INDEX),
    # Households: the referrals of a team and 90 days with their addresses.
    Index("ix_incident_tally_referred", *REFERRED_INDEX),
)

review_tally = Table(
    "review_tally",
    SQLModel.metadata,
    Column("incident_id", Uuid, primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("team_id", Uuid, nullable=True),
    Column("day", Date, nullable=False),
    Column("officer_id", Uuid, nullable=False),
    Column("review_ms", BigInteger, nullable=True),  # from submission to the review's end
    Column("waiting", Boolean, nullable=False),  # the latest version, its review not ended
    Column("due_at", UTCDateTime, nullable=False),  # when its review is due
    Column("late", Boolean, nullable=False),  # its review ended after it was due
    Index("ix_review_tally_reviewed", "team_id", "day", "officer_id", "review_ms"),
    Index("ix_review_tally_waiting", "waiting", "team_id", "day", "officer_id", "due_at"),
)

# Each criterion's mark: 1 yes, 0 no, NULL does not apply (or the decision had no check).
MARK_COLUMNS = tuple(f"q_{criterion}" for criterion in CRITERIA)

# A supervisor's decision, with when the next decision on the same referral version was taken
# (by time, then id): the quality roll-up counts a version's latest decision within a period,
# which is one decided in it and not superseded before its end. The index holds every column
# the roll-up reads (team, time, supersession, officer, marks): it never reads the table.
decision_tally = Table(
    "decision_tally",
    SQLModel.metadata,
    Column("decision_id", Uuid, primary_key=True),
    Column("incident_id", Uuid, nullable=False, index=True),
    Column("team_id", Uuid, nullable=True),  # the referral's team and officer
    Column("officer_id", Uuid, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("superseded_at", UTCDateTime, nullable=True),
    *(Column(name, SmallInteger, nullable=True) for name in MARK_COLUMNS),
    Index("ix_decision_tally_scope", "team_id", "at", "superseded_at", "officer_id", *MARK_COLUMNS),
)
