from nordesk.kb import services
from nordesk.kb.models import Article, Section


def make_section(slug: str = "billing") -> Section:
    category = services.category_create(
        slug=f"{slug}-help", names={"nb": "Faktura og betaling", "en": "Billing"}, actor=None
    )
    return services.section_create(
        category=category, slug=slug, names={"nb": "Faktura", "en": "Invoices"}, actor=None
    )


def make_article(
    section: Section,
    *,
    language: str = "nb",
    title: str = "Slik betaler du fakturaen",
    body: str = "Fakturaen betaler du i nettbanken innen forfallsdatoen.",
    publish: bool = True,
    audience: str = "public",
    translations: dict[str, tuple[str, str]] | None = None,
) -> Article:
    article = services.article_create(
        section=section, language=language, title=title, body=body, audience=audience, actor=None
    )
    for other, (other_title, other_body) in (translations or {}).items():
        services.article_translation_save(
            article=article, language=other, title=other_title, body=other_body, actor=None
        )
    if publish:
        services.article_set_status(article=article, status="published", actor=None)
    article.refresh_from_db()
    return article
