"""The knowledge base's forms in the workspace. They check shapes; the kb services check the
rest and their refusals land on the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nordesk.kb import selectors as kb_selectors
from nordesk.kb.models import Audience, Language, Status

from .forms import PageForm

BODY_HELP = _(
    "HTML or plain text (blank lines start paragraphs). Scripts and styles are removed. "
    "An uploaded image shows where an img element's src is its cid:file-ID address."
)


def _section_choices() -> list[tuple[str, str]]:
    return [
        (
            str(section.pk),
            f"{kb_selectors.name_in(section.category.names, 'en')} › "
            f"{kb_selectors.name_in(section.names, 'en')}",
        )
        for section in kb_selectors.section_list()
    ]


class TranslationForm(PageForm):
    id_prefix = "kb-text"
    title = forms.CharField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Address"),
        max_length=120,
        required=False,
        allow_unicode=False,
        help_text=_("Leave empty to make it from the title. An old address keeps working."),
    )
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}), help_text=BODY_HELP
    )


class ArticleForm(TranslationForm):
    """A new article: where it lives, who reads it, and its first translation."""

    id_prefix = "kb-article"
    field_order = ("section", "language", "audience", "title", "slug", "body")
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    audience = forms.ChoiceField(label=_("Who may read it"), choices=Audience.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = _section_choices()  # type: ignore[attr-defined]


class ArticleSettingsForm(PageForm):
    id_prefix = "kb-settings"
    section = forms.TypedChoiceField(label=_("Section"), coerce=int)
    audience = forms.ChoiceField(label=_("Who may read it"), choices=Audience.choices)
    fallback_language = forms.ChoiceField(
        label=_("Fallback language"),
        choices=Language.choices,
        help_text=_("Shown to readers of a language the article is not written in."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = _section_choices()  # type: ignore[attr-defined]


class KbListForm(PageForm):
    id_prefix = "kb"
    q = forms.CharField(label=_("Search articles"), max_length=500, required=False)
    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("Workspace language")), *Language.choices],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Status.choices], required=False
    )
    after = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)


class KbStatsForm(PageForm):
    id_prefix = "kb-stats"
    order = forms.ChoiceField(
        choices=[(key, key) for key in kb_selectors.STATS_ORDERS], required=False
    )
    after = forms.CharField(max_length=200, required=False, widget=forms.HiddenInput)


class SectionForm(PageForm):
    """A new section, in a new category or an existing one."""

    id_prefix = "kb-section"
    category = forms.CharField(
        label=_("Category"),
        max_length=100,
        help_text=_("An existing category's name, or a new one."),
    )
    name = forms.CharField(label=_("Section"), max_length=100)
