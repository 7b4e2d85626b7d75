"""What a screen's post holds, read back as the officer typed it (question and answer), for the
sign-in prompt of a post made after the session ended (app/checklist/resume.py). Read from
the post alone: the prompt set gives the words; nothing stored is looked at."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import FormData

from app.checklist import promptset
from app.checklist.promptset import Prompt, PromptType


@dataclass(frozen=True)
class TypedRow:
    question: str
    answer: str


def _prompt(prompt_id: str) -> Prompt | None:
    """The prompt from the newest published version that has it."""
    for version in sorted(promptset.PUBLISHED_VERSIONS, reverse=True):
        try:
            return promptset.load_version(version).prompt(prompt_id)
        except KeyError:
            continue
    return None


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _answer(p: Prompt, form: FormData) -> str:
    labels = {o.id: str(o.label) for o in p.options}
    if p.type is PromptType.YESNO:
        return {"yes": "Yes", "no": "No"}.get(_text(form, p.id), "")
    if p.type is PromptType.CHOICE:
        return labels.get(_text(form, p.id), "")
    if p.type is PromptType.MULTI:
        chosen = [v for v in form.getlist(p.id) if isinstance(v, str)]
        return ", ".join(labels.get(v, "") for v in chosen if v in labels)
    if p.type in (PromptType.DATE, PromptType.DATETIME):
        parts = [_text(form, f"{p.id}-{k}") for k in ("day", "month", "year")]
        day = "/".join(parts) if any(parts) else ""
        time = _text(form, f"{p.id}-time") if p.type is PromptType.DATETIME else ""
        return " ".join(x for x in (day, time) if x)
    return _text(form, p.id)


def typed_rows(form: FormData) -> list[TypedRow]:
    """Each question drawn on the posted screen (``_present``) that was given an answer."""
    rows: list[TypedRow] = []
    for prompt_id in dict.fromkeys(v for v in form.getlist("_present") if isinstance(v, str)):
        p = _prompt(prompt_id)
        if p is None or p.type in (PromptType.GUIDANCE, PromptType.REPEAT):
            continue
        if answer := _answer(p, form):
            rows.append(TypedRow(question=str(p.label), answer=answer))
    return rows
