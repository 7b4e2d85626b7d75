"""The words for each risk reason, versioned with the rules (a new rule never edits a published
file): v1's are the ``risk_reasons`` of prompt set v1 (``think_child_v1.yaml``), v2's are in
``words_v2.yaml`` next to this module. ``reason_words(version)`` checks at first load that every
reason code of that version has words and that no words name a code the version does not have.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final

from app.checklist import promptset
from app.checklist.promptset.loader import read_mapping
from app.checklist.risk import rules_v2
from app.checklist.risk.grades import REASON_CODES as V1_REASON_CODES

WORDS_V2_PATH: Final = Path(__file__).resolve().parent / "words_v2.yaml"


class ReasonWordsError(ValueError):
    """The words for a version's reasons are missing, stray or not plain text."""


def reason_codes(version: int) -> frozenset[str]:
    """The reason codes the rules of ``version`` give."""
    codes = {1: V1_REASON_CODES, 2: rules_v2.REASON_CODES}
    try:
        return codes[version]
    except KeyError:
        raise ValueError(f"no risk rules for prompt set version {version!r}") from None


def checked_words(words: object, codes: frozenset[str], source: str) -> Mapping[str, str]:
    """``words`` as a read-only code -> words mapping, or ReasonWordsError naming ``source`` and
    each code without words, each stray code and each entry that is not non-blank text."""
    if not isinstance(words, Mapping):
        raise ReasonWordsError(f"{source}: reason words must be a mapping of code to words")
    problems = [f"no words for {c!r}" for c in sorted(codes - set(words))]
    problems += [f"words for unknown code {c!r}" for c in sorted(set(words) - codes, key=str)]
    problems += [
        f"words for {c!r} must be text"
        for c, w in words.items()
        if c in codes and not (isinstance(w, str) and w.strip())
    ]
    if problems:
        raise ReasonWordsError(f"{source}: " + "; ".join(problems))
    return MappingProxyType({str(c): str(w).strip() for c, w in words.items()})


def _v2_words() -> Any:
    return read_mapping(WORDS_V2_PATH).get("reason_words")


@functools.cache
def reason_words(version: int) -> Mapping[str, str]:
    """The words for each reason code of the risk rules of ``version`` (loaded and checked once).

    v1: the ``risk_reasons`` of prompt set v1. v2: ``words_v2.yaml``. A reason about one child
    is shown as "<child>: <words>" under v2 ("Amy (4 months): was not seen") and as
    "<words> (<child>)" under v1, as v1 always showed it.
    """
    codes = reason_codes(version)
    if version == 1:
        path = promptset.version_path(1)
        return checked_words(promptset.load_version(1).risk_reasons, codes, str(path))
    return checked_words(_v2_words(), codes, str(WORDS_V2_PATH))
