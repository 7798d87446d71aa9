"""Knowledge base search and suggestions over a large corpus: N articles, each written in
Norwegian Bokmål, Swedish, Danish and English (4 × N translations), their texts put together
from the demo's customer-service sentences in each language with varied products, numbers and
versions. Times `article_search` (a customer's one to three words: inflected forms, typos, in
one of the five languages, Nynorsk falling back) and `article_suggest` (what a customer has
typed so far of a contact form's text, cut at a random keystroke). Then counts the queries of
each help centre page, whole as the browser gets it, for a signed-in customer with a request on
that corpus (`portal_max_queries`: the most any page costs; target <= 10).

    python bench/kb.py [--articles 5000] [--queries 300]
    NORDESK_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/nordesk_kb_bench python bench/kb.py

Prints one JSON object. Targets: search p95 <= 50 ms, suggestion p95 <= 100 ms, portal pages
<= 10 queries."""

from __future__ import annotations

import argparse
import json
import random
import re
import time

import benchenv

LANGUAGES = ("nb", "sv", "da", "en")
BATCH = 500
PLACEHOLDER = re.compile(r"\{(\w+)\}")
PRODUCT_NAMES = [
    "Nordlys",
    "Nordfjell",
    "Fjordlys",
    "Midnattsol",
    "Havbris",
    "Skogsro",
    "Vinterly",
    "Polarstjerne",
    "Isbre",
    "Granskog",
    "Kystlinje",
    "Solgløtt",
    "Morgenrød",
    "Bølgetopp",
    "Fjellvann",
    "Myrull",
    "Lyngheia",
    "Stjerneklar",
]
PRODUCT_KINDS = [
    "router",
    "ruter",
    "modem",
    "app",
    "abonnement",
    "termostat",
    "lader",
    "varmepumpe",
    "skanner",
    "skriver",
    "nettbrett",
    "kamera",
    "høyttaler",
    "alarm",
    "nøkkelbrikke",
]


def _pool(language: str) -> tuple[list[str], list[str], list[str]]:
    """Subjects, sentences and whole customer texts of the demo in `language`."""
    from nordesk.demo.texts import languages

    texts = languages()[language]
    subjects, paragraphs, openings = [], [], []
    for lines in texts.scenarios.values():
        subjects.extend(lines.subjects)
        openings.extend(lines.openings)
        paragraphs.extend([*lines.openings, lines.ask, lines.follow_up, lines.solve, lines.note])
    paragraphs += [texts.hold_reply, texts.again_reply, texts.hold_note]
    sentences = [
        s.strip() for p in paragraphs for s in re.split(r"(?<=[.!?])\s+", p) if len(s) > 20
    ]
    return subjects, sentences, openings


def _fill(text: str, rng: random.Random) -> str:
    values = {
        "order": f"{rng.randint(100000, 999999)}",
        "invoice": f"{rng.randint(2024000, 2026999)}",
        "amount": f"{rng.randint(99, 25000)}",
        "product": f"{rng.choice(PRODUCT_NAMES)} {rng.choice(PRODUCT_KINDS)}",
        "version": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}",
        "version_fix": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}.{rng.randint(1, 9)}",
        "bug": f"NX-{rng.randint(1000, 9999)}",
        "org": rng.choice(["Fjordkraft", "Nordvik AS", "Bergmann", "Solsiden", "Havørn"]),
        "first": rng.choice(["Kari", "Lars", "Sofie", "Erik", "Ingrid"]),
        "phone": f"+47 9{rng.randint(1000000, 9999999)}",
    }
    return PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def load(n: int, rng: random.Random) -> dict[str, list[str]]:
    """Categories, sections, articles and their translations in bulk, then indexed in batches
    (`kb.search.articles_index`). Returns, per language, the customer texts used to type
    suggestions from."""
    from django.db import transaction
    from django.utils.text import slugify

    from nordesk.kb import search, services
    from nordesk.kb.models import Article, ArticleTranslation

    pools = {code: _pool(code) for code in LANGUAGES}
    sections = []
    for c in range(5):
        category = services.category_create(
            slug=f"category-{c}", names={"nb": f"Kategori {c}", "en": f"Category {c}"}, actor=None
        )
        for s in range(4):
            sections.append(
                services.section_create(
                    category=category, slug=f"s{s}", names={"en": f"Section {s}"}, actor=None
                )
            )
    for start in range(0, n, BATCH):
        count = min(BATCH, n - start)
        with transaction.atomic():
            articles = Article.objects.bulk_create(
                Article(
                    section=rng.choice(sections),
                    status="published" if rng.random() < 0.9 else "draft",
                    audience="public" if rng.random() < 0.85 else "internal",
                    fallback_language="en",
                    view_count=rng.randint(0, 5000),
                    helpful_yes=rng.randint(0, 80),
                    helpful_no=rng.randint(0, 30),
                )
                for _ in range(count)
            )
            translations = []
            for k, article in enumerate(articles):
                for code in LANGUAGES:
                    subjects, sentences, _openings = pools[code]
                    title = _fill(f"{rng.choice(subjects)}: {{product}}", rng)[:200]
                    paragraphs = [
                        " ".join(_fill(s, rng) for s in rng.sample(sentences, rng.randint(2, 4)))
                        for _ in range(rng.randint(2, 4))
                    ]
                    translations.append(
                        ArticleTranslation(
                            article=article,
                            language=code,
                            title=title,
                            slug=f"{slugify(title)[:100]}-{start + k}",
                            body_html="".join(f"<p>{p}</p>" for p in paragraphs),
                            body_text="\n\n".join(paragraphs),
                        )
                    )
            ArticleTranslation.objects.bulk_create(translations)
            search.articles_index([a.pk for a in articles])
        benchenv.log(f"loaded {start + count} articles")
    return {code: pools[code][2] for code in LANGUAGES}


def _queries(rng: random.Random, n: int) -> list[tuple[str, str]]:
    """(language, text): one to three words a customer searches for, some with a typo (two
    letters swapped), some in Nynorsk (no translation: the English fallback is searched)."""
    queries = []
    vocab = {}
    for code in LANGUAGES:
        _subjects, sentences, _openings = _pool(code)
        vocab[code] = sorted({w for s in sentences for w in re.findall(r"[^\W\d_]{5,}", s.lower())})
    for _ in range(n):
        code = rng.choice((*LANGUAGES, "nn"))
        words = rng.sample(vocab["nb" if code == "nn" else code], rng.choice((1, 1, 2, 2, 3)))
        if rng.random() < 0.3:
            w = words[0]
            i = rng.randint(1, len(w) - 3)
            words[0] = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        queries.append((code, " ".join(words)))
    return queries


def _portal_customer(client) -> int:
    """A request sent through the contact form, and `client` signed in as its customer (what a
    used sign-in link leaves in the session). Returns the request's number."""
    from django.core import signing

    from nordesk.connectors.webform.spam import TOKEN_SALT
    from nordesk.portal import services as portal_services
    from nordesk.portal.session import SESSION_ACCOUNT, SESSION_CHECK, _check
    from nordesk.tickets.models import Ticket

    token = signing.dumps({"n": "bench", "t": time.time() - 60}, salt=TOKEN_SALT)
    client.post(
        "/help/contact/",
        {
            "name": "Nina Berg",
            "email": "nina@example.se",
            "subject": "Fakturan har fel belopp",
            "description": "Jag fick en faktura med fel belopp.",
            "form_token": token,
            "website": "",
        },
    )
    ticket = Ticket.objects.order_by("-pk").first()
    account = portal_services.account_for_customer(customer_id=ticket.customer_id)
    session = client.session
    session[SESSION_ACCOUNT] = account.pk
    session[SESSION_CHECK] = _check(account)
    session.save()
    return int(ticket.number)


def portal_queries() -> dict[str, int]:
    """Queries of each help centre page in Swedish, the second time it is asked for."""
    from django.test import Client

    from nordesk.kb.search import Reader, article_search

    client = Client(HTTP_ACCEPT_LANGUAGE="sv")
    number = _portal_customer(client)
    article = article_search(text="faktura", language="sv", audience=Reader.PUBLIC)[0].path
    pages = {
        "home": "/help/",
        "category": "/help/categories/category-0/",
        "search": "/help/search/?q=fakturan",
        "article": article,
        "contact": "/help/contact/",
        "suggestions": "/help/contact/suggestions/?subject=fel+belopp+p%C3%A5+fakturan",
        "sign_in": "/help/sign-in/",
        "my_requests": "/help/tickets/",
        "request": f"/help/tickets/{number}/",
    }
    counts = {}
    for name, url in pages.items():
        client.get(url)
        counter = benchenv.QueryCounter()
        with counter.installed():
            response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        counts[name] = counter.count
    return counts


def kb_bench(articles: int = 5000, queries: int = 300, seed: int = 11) -> dict:
    from django.db import connection

    from nordesk.kb.search import Reader, article_search
    from nordesk.kb.selectors import article_suggest

    rng = random.Random(seed)
    started = time.perf_counter()
    openings = load(articles, rng)
    load_seconds = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    search_ms, found, counter = [], 0, benchenv.QueryCounter()
    with counter.installed():
        for language, text in _queries(rng, queries):
            started = time.perf_counter()
            hits = article_search(text=text, language=language, audience=Reader.PUBLIC)
            search_ms.append((time.perf_counter() - started) * 1000)
            found += bool(hits)
    search_queries = counter.count

    suggest_ms, suggested, counter = [], 0, benchenv.QueryCounter()
    with counter.installed():
        for _ in range(queries):
            language = rng.choice(LANGUAGES)
            text = _fill(rng.choice(openings[language]), rng)
            typed = text[: rng.randint(12, len(text))]
            started = time.perf_counter()
            hits = article_suggest(text=typed, language=language)
            suggest_ms.append((time.perf_counter() - started) * 1000)
            suggested += bool(hits)
    suggest_queries = counter.count
    portal = portal_queries()
    return {
        "articles": articles,
        "translations": articles * len(LANGUAGES),
        "queries": queries,
        "search_p50_ms": round(benchenv.percentile(search_ms, 50), 2),
        "search_p95_ms": round(benchenv.percentile(search_ms, 95), 2),
        "search_max_ms": round(max(search_ms), 2),
        "searches_with_hits": round(found / queries, 2),
        "queries_per_search": round(search_queries / queries, 2),
        "suggest_p50_ms": round(benchenv.percentile(suggest_ms, 50), 2),
        "suggest_p95_ms": round(benchenv.percentile(suggest_ms, 95), 2),
        "suggest_max_ms": round(max(suggest_ms), 2),
        "suggestions_with_hits": round(suggested / queries, 2),
        "queries_per_suggest": round(suggest_queries / queries, 2),
        "portal_max_queries": max(portal.values()),
        "portal_queries": portal,
        "load_and_index_seconds": round(load_seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    env = benchenv.setup("kb")
    result = kb_bench(args.articles, args.queries, args.seed)
    print(json.dumps({"database": env.db, **result}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
