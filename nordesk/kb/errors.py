from django.utils.translation import gettext_lazy as _

from nordesk.accounts.errors import RoleForbids
from nordesk.core.errors import Conflict, Invalid, NotFound, TooLarge


class ArticleNotFound(NotFound):
    code = "article_not_found"
    default_message = _("No such article.")


class CategoryNotFound(NotFound):
    code = "category_not_found"
    default_message = _("No such category.")


class SlugTaken(Conflict):
    code = "slug_taken"
    default_message = _("Another article already has this address in this language.")


class IllegalArticleTransition(Conflict):
    code = "illegal_article_transition"


class ArticleInvalid(Invalid):
    code = "article_invalid"


class ArticleFileTooLarge(TooLarge):
    code = "article_file_too_large"


class KbRoleForbids(RoleForbids):
    default_message = _("Light agents can read the knowledge base but not change it.")
