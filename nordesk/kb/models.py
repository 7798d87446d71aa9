"""The knowledge base: categories hold sections, sections hold articles, and an article is
written in one or more languages (`ArticleTranslation`), each with a readable slug unique in its
language. Every saved change of a translation is an `ArticleVersion`; a renamed slug keeps an
`ArticleSlug` row so that old links still lead to the article. Search words live outside the
models: a tsvector column (PostgreSQL) or an FTS5 table (SQLite) made by migration 0001."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from nordesk.core.models import TimeStamped


class Language(models.TextChoices):
    NB = "nb", _("Norwegian Bokmål")
    NN = "nn", _("Norwegian Nynorsk")
    DA = "da", _("Danish")
    SV = "sv", _("Swedish")
    EN = "en", _("English")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal (agents only)")


class Category(models.Model):
    """Names per language ({"nb": "Faktura", "en": "Billing"}); shown in the reader's language,
    else in the first of `Language` the category has a name in."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    names = models.JSONField(_("names"), default=dict)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.slug


class Section(models.Model):
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="sections")
    slug = models.SlugField(_("slug"), max_length=80)
    names = models.JSONField(_("names"), default=dict)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ("position", "id")
        constraints = [
            models.UniqueConstraint(fields=["category", "slug"], name="kb_section_slug_unique")
        ]

    def __str__(self) -> str:
        return self.slug


class Article(TimeStamped):
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    # Shown to a reader whose language the article has no translation in.
    fallback_language = models.CharField(
        _("fallback language"), max_length=2, choices=Language.choices, default=Language.EN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # Counters kept by the feedback services (one UPDATE … SET n = n + 1 each), read by ranking
    # and the stats page without counting rows.
    view_count = models.PositiveIntegerField(default=0)
    helpful_yes = models.PositiveIntegerField(default=0)
    helpful_no = models.PositiveIntegerField(default=0)
    deflection_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        indexes = [
            models.Index(fields=["status", "audience"], name="kb_article_visible"),
            # The workspace's list: most recently changed first, paged by keyset.
            models.Index(fields=["-updated_at", "-id"], name="kb_article_recent"),
        ]

    def __str__(self) -> str:
        return f"article {self.pk}"


class ArticleTranslation(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=120, allow_unicode=True)
    body_html = models.TextField(_("text"), blank=True)  # sanitised on save
    body_text = models.TextField(blank=True)  # the words searched and cut into snippets
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language"], name="kb_translation_language_unique"
            ),
            models.UniqueConstraint(fields=["language", "slug"], name="kb_translation_slug_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class ArticleVersion(models.Model):
    """One saved state of a translation, never changed afterwards."""

    translation = models.ForeignKey(
        ArticleTranslation, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    slug = models.CharField(max_length=120)
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("-number",)
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "number"], name="kb_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"v{self.number}: {self.title}"


class ArticleSlug(models.Model):
    """A slug a translation had before: a link to it still leads to the article."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="old_slugs")
    language = models.CharField(max_length=2, choices=Language.choices)
    slug = models.CharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["language", "slug"], name="kb_old_slug_unique")
        ]

    def __str__(self) -> str:
        return f"{self.language}/{self.slug}"


def article_file_path(instance: "ArticleFile", filename: str) -> str:
    return f"kb/{instance.article_id}/{filename}"


class ArticleFile(models.Model):
    """An image or attachment of an article; its type is sniffed from its bytes and it is
    always served as a download, images alone shown inline."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=article_file_path, max_length=300)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename


class ArticleFeedback(models.Model):
    """ "Was this helpful?": one answer from a reader, with an optional comment. `customer_id`
    is the signed-in customer, None for an anonymous visitor of the portal."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    language = models.CharField(max_length=2, choices=Language.choices)
    helpful = models.BooleanField()
    comment = models.TextField(blank=True)
    customer_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["article", "-created_at"], name="kb_feedback_recent")]

    def __str__(self) -> str:
        return f"{self.article_id}: {'yes' if self.helpful else 'no'}"


class EventKind(models.TextChoices):
    CREATED = "created", _("Created")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")
    UNPUBLISHED = "unpublished", _("Back to draft")
    MOVED = "moved", _("Moved")
    DEFLECTED = "deflected", _("Deflected a contact")
    DELETED = "deleted", _("Deleted")


class ArticleEvent(models.Model):
    """What happened to an article, immutable: changes by agents (`actor`) and deflections,
    which the portal reports when a customer opened a suggested article and left without
    sending the form (`customer_id` when signed in). A deleted article's deflections stay,
    with no article, so past deflection rates do not change; its deletion is one more event,
    naming the article in `data`."""

    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    customer_id = models.BigIntegerField(null=True, blank=True)
    language = models.CharField(max_length=2, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["article", "kind"], name="kb_event_kind")]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.kind}"


class Word(models.Model):
    """A word of some article's text, as written (lowercased), for reading typos: a search word
    no article has is also looked for as the words one edit away (see kb.typos)."""

    word = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return self.word


class WordVariant(models.Model):
    """A word with one letter left out (and the word itself): two words one edit apart share
    one of these (a deletion dictionary, as SymSpell keeps)."""

    variant = models.CharField(max_length=64, db_index=True)
    word = models.ForeignKey(Word, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return self.variant
