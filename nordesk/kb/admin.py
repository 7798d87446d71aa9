"""Categories and sections are arranged here; articles are written on the workspace's pages
(through the services, which keep versions and the search index): the admin only reads them."""

from django.contrib import admin
from django.http import HttpRequest

from .models import (
    Article,
    ArticleEvent,
    ArticleFeedback,
    ArticleFile,
    ArticleSlug,
    ArticleTranslation,
    ArticleVersion,
    Category,
    Section,
    Word,
    WordVariant,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("slug", "names", "position")


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("slug", "category", "names", "position")
    list_filter = ("category",)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("pk", "section", "status", "audience", "view_count", "updated_at")
    list_filter = ("status", "audience")


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(ReadOnlyAdmin):
    list_display = ("article", "language", "helpful", "comment", "created_at")


@admin.register(ArticleTranslation)
class ArticleTranslationAdmin(ReadOnlyAdmin):
    list_display = ("article", "language", "title", "slug", "version", "updated_at")
    list_filter = ("language",)


@admin.register(ArticleVersion)
class ArticleVersionAdmin(ReadOnlyAdmin):
    list_display = ("translation", "number", "title", "created_by", "created_at")


@admin.register(ArticleSlug)
class ArticleSlugAdmin(ReadOnlyAdmin):
    list_display = ("article", "language", "slug", "created_at")


@admin.register(ArticleFile)
class ArticleFileAdmin(ReadOnlyAdmin):
    list_display = ("article", "filename", "content_type", "size", "created_at")


@admin.register(ArticleEvent)
class ArticleEventAdmin(ReadOnlyAdmin):
    list_display = ("article", "kind", "actor", "customer_id", "created_at")
    list_filter = ("kind",)


@admin.register(Word)
class WordAdmin(ReadOnlyAdmin):
    search_fields = ("word",)


@admin.register(WordVariant)
class WordVariantAdmin(ReadOnlyAdmin):
    list_display = ("variant", "word")
