"""Every write to the knowledge base goes through these functions."""

from .articles import (
    actor_may_delete,
    article_create,
    article_delete,
    article_set_status,
    article_translation_save,
    article_update,
    category_create,
    category_move,
    category_rename,
    ensure_actor_may_edit,
    section_add,
    section_create,
    section_move,
    section_rename,
)
from .feedback import article_deflection_record, article_feedback_record, article_view_record
from .files import INLINE_IMAGE_TYPES, article_file_add

__all__ = [
    "INLINE_IMAGE_TYPES",
    "actor_may_delete",
    "article_create",
    "article_deflection_record",
    "article_delete",
    "article_feedback_record",
    "article_file_add",
    "article_set_status",
    "article_translation_save",
    "article_update",
    "article_view_record",
    "category_create",
    "category_move",
    "category_rename",
    "ensure_actor_may_edit",
    "section_add",
    "section_create",
    "section_move",
    "section_rename",
]
