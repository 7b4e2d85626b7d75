"""Steps come from the prompt set (v1 keeps its 11); v2 takes no more screens than v1 for a
typical domestic abuse incident (bench/bench_screens.py)."""

from __future__ import annotations

from app.checklist import screens
from app.checklist.promptset import load_version
from bench import bench_screens


def test_v1_keeps_its_eleven_steps() -> None:
    ps = load_version(1)
    assert screens.step_sections(ps) == (
        "incident",
        "gate",
        "child",
        "voice",
        "observed",
        "home",
        "household",
        "concern",
        "action",
        "sharing",
    )
    assert screens.progress(ps, "incident") == screens.Progress(1, 11)
    assert screens.progress(ps, "concern") == screens.Progress(8, 11)
    assert screens.progress(ps, None) == screens.Progress(11, 11)


def test_v2_steps_follow_its_sections() -> None:
    ps = load_version(2)
    assert screens.step_sections(ps)[5:9] == ("concern", "home", "household", "domestic_abuse")
    assert screens.progress(ps, "concern") == screens.Progress(6, 12)
    assert screens.progress(ps, "domestic_abuse") == screens.Progress(9, 12)
    assert screens.progress(ps, "risk") == screens.Progress(12, 12)


def test_v2_takes_no_more_screens_than_v1_for_a_typical_domestic_abuse_incident() -> None:
    v1 = bench_screens.counts(load_version(1), bench_screens.typical_v1())
    v2 = bench_screens.counts(load_version(2), bench_screens.typical_v2())
    assert v2.screens <= v1.screens
    assert v2.questions > v1.questions  # it asks more, on no more screens
    assert v1.screens > 10  # the count walks every page, items included
