"""The quality check as the review form sends it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.review import quality


async def posted_marks(request: Request) -> dict[str, str]:
    """The quality check as sent: ``quality-<criterion>`` radios (a criterion not marked is
    left out, for the service to refuse)."""
    posted = await request.form()
    marks: dict[str, str] = {}
    for criterion in quality.CRITERIA:
        value = posted.get(f"quality-{criterion}")
        if isinstance(value, str) and value:
            marks[criterion] = value[:20]
    return marks


Marks = Annotated[dict[str, str], Depends(posted_marks)]
