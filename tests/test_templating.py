"""Templates are rendered with strict attribute reads in tests: a misspelt attribute fails."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from jinja2 import UndefinedError
from markupsafe import Markup

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


def test_every_template_holds_the_globals_in_a_plain_dict() -> None:
    """Each ``{% from ... import %}`` compares the page's globals with the imported file's: with
    Jinja's ChainMap that ran key by key in Python, a third of a screen's drawing time."""
    page = templates.env.get_template("checklist/screen.html")
    macro = templates.env.get_template("govuk_frontend_jinja/components/button/macro.html")
    for template in (page, macro):
        assert type(template.globals) is dict
        assert template.globals.items() >= templates.env.globals.items()


def test_printed_text_loses_bidi_controls_and_keeps_everything_else() -> None:
    shown = render(
        "{{ a }}|{{ b }}|{{ c }}|{{ m }}",
        a="Amy",
        b="Am\u202ey \u00e9\u00e8 \u2014 \u0639\u0644\u064a",
        c=7,
        m=Markup("<b>Ben\u2066</b>"),
    )
    assert shown == "Amy|Amy \u00e9\u00e8 \u2014 \u0639\u0644\u064a|7|<b>Ben</b>"
