"""Categories and sections are arranged here; articles are written on the workspace's pages
(through the services, which keep versions and the search index): the admin only reads them."""

from django.contrib import admin
from django.http import HttpRequest

from .models import Article, ArticleFeedback, Category, Section


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
