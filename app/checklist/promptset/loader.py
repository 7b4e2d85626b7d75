"""Reading a prompt-set file: YAML that refuses repeated keys, and problems worded for the
person editing the file (``sections[2] 'child' > prompts[3] 'child.dob' > when: ...``).

``app.checklist.promptset.load_prompt_set`` reads a file with ``read_mapping`` and validates it
as a ``PromptSet``, reporting a ``ValidationError`` with ``schema_problems``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from app.checklist.promptset.model import CONDITION_TAGS


class PromptSetError(Exception):
    """The prompt-set file cannot be used. The message names the file and each problem."""

    def __init__(self, path: Path, problems: Sequence[str]) -> None:
        self.path = path
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = f"prompt set {path}: {self.problems[0]}"
        else:
            listed = "\n".join(f"  - {p}" for p in self.problems)
            message = f"prompt set {path} has {len(self.problems)} problems:\n{listed}"
        super().__init__(message)


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key repeated in one mapping (YAML would keep the last)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[Hashable] = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # the base loader refuses it with its own message
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"found key {key!r} twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def read_mapping(path: Path) -> dict[Any, Any]:
    """The YAML mapping in a prompt-set file. Raises PromptSetError when the file cannot be
    read, is not valid YAML (a key repeated in one mapping included) or is not a mapping."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise PromptSetError(path, [f"cannot be read ({e})"]) from e
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except yaml.YAMLError as e:
        raise PromptSetError(path, [f"is not valid YAML: {e}"]) from e
    if not isinstance(raw, dict):
        raise PromptSetError(path, ["must be a YAML mapping with id, version, title and sections"])
    return raw


def _where(raw: Any, loc: Sequence[int | str]) -> str:
    """Where a pydantic error is: ``sections[2] 'child' > prompts[3] 'child.dob' > when``."""
    parts: list[str] = []
    node = raw
    for part in loc:
        if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
            ident = node.get("id") if isinstance(node, dict) else None
            label = f"[{part}]" + (f" {ident!r}" if isinstance(ident, str) else "")
            parts[-1:] = [(parts[-1] if parts else "") + label]
        elif isinstance(node, dict) and part in node:
            node = node[part]
            parts.append(str(part))
        elif part not in CONDITION_TAGS:
            node = None
            parts.append(str(part))
    return " > ".join(parts)


def schema_problems(raw: Any, error: ValidationError) -> list[str]:
    """Each problem in ``error`` (validating ``raw``), one line each, prefixed by where it is."""
    problems: list[str] = []
    for e in error.errors(include_url=False):
        cause = e.get("ctx", {}).get("error")
        message = str(cause) if e["type"] == "value_error" and cause is not None else e["msg"]
        where = _where(raw, e["loc"])
        problems.extend(f"{where}: {line}" if where else line for line in message.splitlines())
    return problems
