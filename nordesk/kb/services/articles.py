"""Writing articles: categories and sections to hold them, an article's translations (each
saved change an immutable version), its status and audience."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.html import linebreaks
from django.utils.text import slugify
from django.utils.translation import gettext as _

from nordesk.accounts import selectors as account_selectors
from nordesk.core.events import emit
from nordesk.tickets.services.html import html_sanitise, html_to_text

from .. import events, history, search, selectors
from ..errors import ArticleInvalid, IllegalArticleTransition, KbRoleForbids, SlugTaken
from ..models import (
    Article,
    ArticleSlug,
    ArticleTranslation,
    ArticleVersion,
    Audience,
    Category,
    EventKind,
    Language,
    Section,
    Status,
)

Actor = User | None

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.PUBLISHED},
    Status.PUBLISHED: {Status.DRAFT, Status.ARCHIVED},
    Status.ARCHIVED: {Status.PUBLISHED, Status.DRAFT},
}
TITLE_MAX = 200
NAME_MAX = 100  # a category's or a section's, as the workspace's forms take them
SLUG_MAX = 120
BODY_MAX = 200_000
# Letters a reader types on an English keyboard, so that an address reads the same everywhere.
_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u", "é": "e"})
_TAG = re.compile(r"<[a-zA-Z/!]")


def ensure_actor_may_edit(actor: Actor) -> None:
    """Light agents read the knowledge base; writing it needs a full agent. `None` is the
    system (the demo seed, imports)."""
    if not account_selectors.actor_may_change(actor):
        raise KbRoleForbids()


def category_create(
    *, slug: str, names: dict[str, str], position: int = 0, actor: Actor
) -> Category:
    ensure_actor_may_edit(actor)
    return Category.objects.create(slug=slug, names=_names(names), position=position)


def section_create(
    *, category: Category, slug: str, names: dict[str, str], position: int = 0, actor: Actor
) -> Section:
    ensure_actor_may_edit(actor)
    return Section.objects.create(
        category=category, slug=slug, names=_names(names), position=position
    )


def _names(names: dict[str, str]) -> dict[str, str]:
    kept = {lang: name.strip() for lang, name in names.items() if lang in Language.values}
    kept = {lang: name for lang, name in kept.items() if name}
    if not kept:
        raise ArticleInvalid(_("Give a name in one language at least."), field="names")
    return kept


@transaction.atomic
def article_create(
    *,
    section: Section,
    language: str,
    title: str,
    body: str,
    actor: Actor,
    audience: str = Audience.PUBLIC,
    fallback_language: str = "",
    slug: str = "",
    source: dict[str, Any] | None = None,
) -> Article:
    """A draft article with its first translation. `source` says where it came from (say, the
    ticket whose answer it was made of) and is kept in its history."""
    ensure_actor_may_edit(actor)
    _language_check(language)
    if audience not in Audience.values:
        raise ArticleInvalid(_("Choose public or internal."), field="audience")
    article = Article.objects.create(
        section=section,
        audience=audience,
        fallback_language=fallback_language or language,
        created_by=actor,
    )
    _language_check(article.fallback_language, field="fallback_language")
    article_translation_save(
        article=article, language=language, title=title, body=body, slug=slug, actor=actor
    )
    history.article_created(article=article, actor=actor, source=source or {})
    return article


@transaction.atomic
def article_translation_save(
    *, article: Article, language: str, title: str, body: str, actor: Actor, slug: str = ""
) -> ArticleTranslation:
    """Create or change the article's text in `language`. A change is a new version (who, when,
    title and text); saving the same text again is none. A new slug keeps the old one as a
    redirect. `body` is HTML (sanitised here) or plain text, whose paragraphs become HTML."""
    ensure_actor_may_edit(actor)
    _language_check(language)
    title = " ".join(title.split())
    if not title:
        raise ArticleInvalid(_("Give the article a title."), field="title")
    if len(title) > TITLE_MAX:
        raise ArticleInvalid(
            _("Keep the title within %(count)d characters.") % {"count": TITLE_MAX}, field="title"
        )
    if len(body) > BODY_MAX:
        raise ArticleInvalid(
            _("Keep the text within %(count)d characters.") % {"count": BODY_MAX}, field="body"
        )
    html = html_sanitise(body if _TAG.search(body) else linebreaks(body, autoescape=True))
    translation = (
        ArticleTranslation.objects.select_for_update()
        .filter(article=article, language=language)
        .first()
    )
    new_slug = _slug_choose(
        article=article,
        language=language,
        title=title,
        wanted=slug,
        current=translation.slug if translation else "",
    )
    if translation is None:
        translation = ArticleTranslation(article=article, language=language, version=0)
    elif (translation.title, translation.slug, translation.body_html) == (title, new_slug, html):
        return translation
    elif translation.slug != new_slug:
        ArticleSlug.objects.get_or_create(
            language=language, slug=translation.slug, defaults={"article": article}
        )
    ArticleSlug.objects.filter(article=article, language=language, slug=new_slug).delete()
    now = timezone.now()
    translation.title, translation.slug, translation.body_html = title, new_slug, html
    translation.body_text = html_to_text(html)
    translation.version += 1
    translation.updated_at, translation.updated_by = now, actor
    translation.save()
    ArticleVersion.objects.create(
        translation=translation,
        number=translation.version,
        title=title,
        slug=new_slug,
        body_html=html,
        created_at=now,
        created_by=actor,
    )
    search.articles_index([article.pk])
    _touch(article, now)
    return translation


def _language_check(language: str, *, field: str = "language") -> None:
    if language not in Language.values:
        raise ArticleInvalid(_("Choose one of the knowledge base's languages."), field=field)


def _slug_choose(*, article: Article, language: str, title: str, wanted: str, current: str) -> str:
    """The slug asked for, refused when another article has it (or had it) in this language;
    else the `current` one while the title's words make it, or one made from the title,
    numbered when taken."""
    if wanted:
        slug = _slugify(wanted)
        if not slug:
            raise ArticleInvalid(_("Use letters or digits in the address."), field="slug")
        if _slug_taken(article=article, language=language, slug=slug):
            raise SlugTaken(field="slug")
        return slug
    base = _slugify(title) or "article"
    if current and (current == base or re.fullmatch(rf"{re.escape(base)}-\d+", current)):
        return current  # the title's words did not change the address
    candidate, n = base, 1
    while _slug_taken(article=article, language=language, slug=candidate):
        n += 1
        candidate = f"{base[: SLUG_MAX - 8]}-{n}"
    return candidate


def _slugify(text: str) -> str:
    return slugify(text.lower().translate(_ASCII))[:SLUG_MAX].strip("-")


def _slug_taken(*, article: Article, language: str, slug: str) -> bool:
    live = ArticleTranslation.objects.filter(language=language, slug=slug).exclude(article=article)
    old = ArticleSlug.objects.filter(language=language, slug=slug).exclude(article=article)
    return live.exists() or old.exists()


def _touch(article: Article, at) -> None:
    article.updated_at = at
    article.save(update_fields=["updated_at"])


@transaction.atomic
def article_set_status(*, article: Article, status: str, actor: Actor) -> Article:
    """Draft → published → archived (and back). Publishing needs a translation in the
    article's fallback language: it is what a reader of any other language is shown."""
    ensure_actor_may_edit(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    old = article.status
    if status == old:
        return article
    if status not in TRANSITIONS.get(old, set()):
        raise IllegalArticleTransition(
            _("An article cannot go from %(old)s to %(new)s.") % {"old": old, "new": status},
            field="status",
        )
    if status == Status.PUBLISHED:
        if not article.translations.filter(language=article.fallback_language).exists():
            raise ArticleInvalid(
                _("Write the article in its fallback language before publishing it."),
                field="status",
            )
        article.published_at = article.published_at or timezone.now()
    article.status = status
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "published_at", "updated_at"])
    history.article_status_changed(article=article, actor=actor, old=old, new=status)
    if status == Status.PUBLISHED:
        emit(events.PUBLISHED, article_id=article.pk)
    return article


@transaction.atomic
def article_delete(*, article: Article, actor: Actor) -> str:
    """Gone for good: every translation, version, old address, file and vote. A published
    article must be archived first, so that no reader loses it to one click. Deleting what
    others wrote, or what readers once had, is for supervisors and admins; an agent deletes
    their own drafts. Its deflections stay (see ArticleEvent). Returns its title."""
    ensure_actor_may_edit(actor)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if article.status == Status.PUBLISHED:
        raise IllegalArticleTransition(
            _("Archive the article before deleting it: readers still see it."), field="status"
        )
    if not actor_may_delete(actor, article):
        raise KbRoleForbids(
            _("Only supervisors and admins delete articles others wrote or readers have seen.")
        )
    shown = selectors.translation_shown(article, article.fallback_language)
    title = shown.title if shown else ""
    stored = [upload.file for upload in article.files.all()]
    search.translations_unindex([t.pk for t in article.translations.all()])
    article.events.exclude(kind=EventKind.DEFLECTED).delete()
    history.article_deleted(article=article, actor=actor, title=title)
    article.delete()
    transaction.on_commit(lambda: _files_delete(stored))
    return title


def actor_may_delete(actor: Actor, article: Article) -> bool:
    """Supervisors and admins delete any article; an agent their own, never published."""
    if actor is None:
        return True
    agent = account_selectors.agent_by_user_id(actor.pk)
    if agent is None or not agent.can_reply:
        return False
    if agent.sees_all_tickets:
        return True
    return article.created_by_id == actor.pk and article.published_at is None


def _files_delete(stored: list[FieldFile]) -> None:
    for file in stored:
        file.delete(save=False)


@transaction.atomic
def article_update(
    *,
    article: Article,
    actor: Actor,
    section: Section | None = None,
    audience: str | None = None,
    fallback_language: str | None = None,
) -> Article:
    """Where the article lives and who reads it; what is not given stays."""
    ensure_actor_may_edit(actor)
    changes: dict[str, Any] = {}
    if section is not None and section.pk != article.section_id:
        changes["section_id"] = section.pk
    if audience is not None and audience != article.audience:
        if audience not in Audience.values:
            raise ArticleInvalid(_("Choose public or internal."), field="audience")
        changes["audience"] = audience
    if fallback_language is not None and fallback_language != article.fallback_language:
        _language_check(fallback_language, field="fallback_language")
        if not article.translations.filter(language=fallback_language).exists():
            raise ArticleInvalid(
                _("The fallback language must be one the article is written in."),
                field="fallback_language",
            )
        changes["fallback_language"] = fallback_language
    if not changes:
        return article
    for field, value in changes.items():
        setattr(article, field, value)
    article.updated_at = timezone.now()
    article.save(update_fields=[*changes, "updated_at"])
    if "fallback_language" in changes:
        search.articles_index([article.pk])
    history.article_moved(article=article, actor=actor, changes=changes)
    return article


@transaction.atomic
def section_add(*, category_name: str, name: str, language: str, actor: Actor) -> Section:
    """A section named `name` (in `language`) in the category of that name, which is made
    when there is none."""
    ensure_actor_may_edit(actor)
    _language_check(language)
    category_name, name = _one_line(category_name), _one_line(name)
    if not category_name or not name:
        raise ArticleInvalid(_("Name the category and the section."), field="name")
    category = _named(Category.objects.all(), category_name)
    if category is None:
        category = category_create(
            slug=_unique_slug(category_name, Category.objects.all()),
            names={language: category_name},
            position=Category.objects.count(),
            actor=actor,
        )
    return section_create(
        category=category,
        slug=_unique_slug(name, category.sections.all()),
        names={language: name},
        position=category.sections.count(),
        actor=actor,
    )


def _one_line(name: str) -> str:
    return " ".join(name.split())


def _named(siblings, name: str, *, excluding: int | None = None):
    """The first of `siblings` (categories, or one category's sections) with `name` in any
    language, whatever its case; the one `excluding` names does not count."""
    wanted = name.lower()
    return next(
        (
            item
            for item in siblings
            if item.pk != excluding and wanted in {n.lower() for n in item.names.values()}
        ),
        None,
    )


def _renamed(item: Category | Section, siblings, *, name: str, language: str, taken: str) -> None:
    _language_check(language)
    name = _one_line(name)
    if not name:
        raise ArticleInvalid(_("Give it a name."), field="name")
    if len(name) > NAME_MAX:
        raise ArticleInvalid(_("A name has at most 100 characters."), field="name")
    if _named(siblings, name, excluding=item.pk) is not None:
        raise ArticleInvalid(taken, field="name")
    item.names = {**item.names, language: name}
    item.save(update_fields=["names"])


@transaction.atomic
def category_rename(*, category: Category, name: str, language: str, actor: Actor) -> None:
    """The category's name in `language`; its names in other languages stay."""
    ensure_actor_may_edit(actor)
    taken = _("Another category has that name.")
    _renamed(category, Category.objects.all(), name=name, language=language, taken=taken)


@transaction.atomic
def section_rename(*, section: Section, name: str, language: str, actor: Actor) -> None:
    """The section's name in `language`; its names in other languages stay."""
    ensure_actor_may_edit(actor)
    taken = _("This category has a section of that name.")
    siblings = section.category.sections.all()
    _renamed(section, siblings, name=name, language=language, taken=taken)


def _moved(item: Category | Section, siblings, offset: int) -> None:
    """`item` swapped with its neighbour `offset` (-1 before, 1 after) in the order readers
    see; every sibling's position is written anew, 0 on, so positions left equal by older
    data or the admin cannot block a move. At either end it stays."""
    ordered = list(siblings.select_for_update().order_by("position", "id"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == item.pk)
    other = index + offset
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


@transaction.atomic
def category_move(*, category: Category, offset: int, actor: Actor) -> None:
    ensure_actor_may_edit(actor)
    _moved(category, Category.objects.all(), offset)


@transaction.atomic
def section_move(*, section: Section, offset: int, actor: Actor) -> None:
    ensure_actor_may_edit(actor)
    _moved(section, Section.objects.filter(category_id=section.category_id), offset)


def _unique_slug(name: str, siblings) -> str:
    base = _slugify(name)[:70] or "section"
    taken = set(siblings.values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
