"""The workspace's form renderer writes a <select> as Django's templates do (less blank lines),
escaping what an admin or customer typed into labels and values."""

import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from nordesk.web.form_renderer import WorkspaceRenderer


class _Form(forms.Form):
    single = forms.ChoiceField(
        choices=[("", "Any"), ("a&b", 'Tag "<script>alert(1)</script>"'), ("2", "Two")],
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[("Billing", [("1", "Kari <Nord>"), ("2", "Per")]), ("Other", [("3", "Ole")])],
        widget=forms.Select(attrs={"aria-describedby": 'x"y', "data-flag": True}),
    )
    many = forms.MultipleChoiceField(choices=[("1", "Én"), ("2", "To")], required=False)
    off = forms.ChoiceField(choices=[("1", "1")], disabled=True)


def _markup(renderer, data) -> list[str]:
    form = _Form(data, renderer=renderer)
    return [
        re.sub(r"\n\s*\n", "\n", str(form[name])).strip()
        for name in ("single", "grouped", "many", "off")
    ]


@pytest.mark.parametrize(
    "data",
    [None, {"single": "a&b", "grouped": "3", "many": ["1", "2"], "off": "1"}],
    ids=["unbound", "bound"],
)
def test_selects_are_written_as_djangos_templates_write_them(data):
    assert _markup(WorkspaceRenderer(), data) == _markup(DjangoTemplates(), data)


def test_labels_and_values_are_escaped():
    html = str(_Form(renderer=WorkspaceRenderer())["single"])

    label = "Tag &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot;"
    assert f'<option value="a&amp;b">{label}</option>' in html
    assert "<script>" not in html
