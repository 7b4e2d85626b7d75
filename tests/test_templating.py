"""Templates are rendered with strict attribute reads in tests: a misspelt attribute fails."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from jinja2 import UndefinedError

from app.templating import StrictAttributeUndefined, templates


@dataclass
class Delivery:
    receipt_id: str


def render(source: str, **context: object) -> str:
    return templates.env.from_string(source).render(**context)


def test_the_test_environment_reads_attributes_strictly() -> None:
    assert templates.env.undefined is StrictAttributeUndefined


@pytest.mark.parametrize(
    "source",
    ["{{ d.receipt }}", "{% if d.receipt %}x{% endif %}", "{% for x in d.receipt %}{% endfor %}"],
)
def test_a_misspelt_attribute_fails(source: str) -> None:
    with pytest.raises(UndefinedError):
        render(source, d=Delivery("r-1"))


def test_missing_dict_keys_and_names_stay_lenient_for_the_govuk_macros() -> None:
    assert (
        render(
            "{{ d.receipt_id }}|{{ p.classes }}|{% if p.x %}x{% endif %}|{{ nothing }}",
            d=Delivery("r-1"),
            p={},
        )
        == "r-1|||"
    )
    page = render(
        '{% from "govuk_frontend_jinja/components/button/macro.html" import govukButton %}'
        '{{ govukButton({"text": "Save"}) }}'
    )
    assert "Save" in page
