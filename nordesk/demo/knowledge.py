# ruff: noqa: E501 - sentences of prose, kept whole so that they read as articles
"""The demo's knowledge base: a few short help articles in Norwegian (Bokmål and Nynorsk),
Danish, Swedish and English, one internal, one still a draft, with some readers' figures."""

from __future__ import annotations

from nordesk.kb import services as kb_services

CATEGORIES = {
    "billing": (
        {
            "nb": "Faktura og betaling",
            "nn": "Faktura og betaling",
            "da": "Faktura og betaling",
            "sv": "Faktura och betalning",
            "en": "Invoices and payment",
        },
        "invoices",
        {"nb": "Faktura", "en": "Invoices", "sv": "Fakturor", "da": "Fakturaer", "nn": "Faktura"},
    ),
    "orders": (
        {
            "nb": "Bestilling og levering",
            "nn": "Bestilling og levering",
            "da": "Bestilling og levering",
            "sv": "Beställning och leverans",
            "en": "Orders and delivery",
        },
        "delivery",
        {"nb": "Levering", "en": "Delivery", "sv": "Leverans", "da": "Levering", "nn": "Levering"},
    ),
    "account": (
        {
            "nb": "Konto og innlogging",
            "nn": "Konto og innlogging",
            "da": "Konto og login",
            "sv": "Konto och inloggning",
            "en": "Account and sign-in",
        },
        "sign-in",
        {
            "nb": "Innlogging",
            "en": "Sign-in",
            "sv": "Inloggning",
            "da": "Login",
            "nn": "Innlogging",
        },
    ),
}

# (category, audience, publish, views, helpful yes, helpful no, {language: (title, text)})
ARTICLES = [
    (
        "billing",
        "public",
        True,
        412,
        38,
        4,
        {
            "nb": (
                "Slik betaler du fakturaen",
                "Fakturaen betaler du i nettbanken med KID-nummeret som står nederst på fakturaen.\n\nVil du slippe papirfaktura, kan du velge eFaktura eller AvtaleGiro i nettbanken din. Da kommer fakturaene automatisk, og du får aldri purregebyr for en glemt faktura.",
            ),
            "nn": (
                "Slik betaler du fakturaen",
                "Fakturaen betaler du i nettbanken med KID-nummeret som står nedst på fakturaen.\n\nVil du sleppe papirfaktura, kan du velje eFaktura eller AvtaleGiro i nettbanken. Då kjem fakturaene automatisk, og du får aldri purregebyr for ein gløymd faktura.",
            ),
            "da": (
                "Sådan betaler du fakturaen",
                "Du betaler fakturaen i netbanken med betalingsreferencen nederst på fakturaen.\n\nVil du undgå papirfakturaer, kan du tilmelde dig Betalingsservice. Så bliver fakturaerne betalt automatisk, og du får aldrig rykkergebyr for en glemt faktura.",
            ),
            "sv": (
                "Så betalar du fakturan",
                "Du betalar fakturan i internetbanken med OCR-numret längst ner på fakturan.\n\nVill du slippa pappersfakturor kan du välja e-faktura eller autogiro i din bank. Då kommer fakturorna automatiskt och du får aldrig påminnelseavgift för en glömd faktura.",
            ),
            "en": (
                "How to pay your invoice",
                "Pay the invoice in your online bank using the payment reference at the bottom of the invoice.\n\nTo stop paper invoices, choose e-invoicing or direct debit in your bank. Invoices then arrive automatically and you never pay a reminder fee for a forgotten invoice.",
            ),
        },
    ),
    (
        "account",
        "public",
        True,
        655,
        71,
        9,
        {
            "nb": (
                "Endre eller tilbakestille passordet",
                "Har du glemt passordet, velger du «Glemt passord» på innloggingssiden. Du får en lenke på e-post som gjelder i én time.\n\nFinner du ikke e-posten, se i søppelpostmappen. Passordet må ha minst tolv tegn.",
            ),
            "nn": (
                "Endre eller tilbakestille passordet",
                "Har du gløymt passordet, vel du «Gløymt passord» på innloggingssida. Du får ei lenkje på e-post som gjeld i éin time.\n\nFinn du ikkje e-posten, sjå i søppelpostmappa. Passordet må ha minst tolv teikn.",
            ),
            "da": (
                "Skift eller nulstil din adgangskode",
                "Har du glemt din adgangskode, vælger du »Glemt adgangskode« på login-siden. Du får et link på e-mail, som gælder i en time.\n\nKan du ikke finde e-mailen, så kig i spam-mappen. Adgangskoden skal have mindst tolv tegn.",
            ),
            "sv": (
                "Byt eller återställ ditt lösenord",
                "Har du glömt lösenordet väljer du ”Glömt lösenord” på inloggningssidan. Du får en länk via e-post som gäller i en timme.\n\nHittar du inte mejlet, titta i skräpposten. Lösenordet måste ha minst tolv tecken.",
            ),
            "en": (
                "Change or reset your password",
                "If you forgot your password, choose “Forgot password” on the sign-in page. We email you a link that works for one hour.\n\nIf the email does not arrive, look in your spam folder. The password needs at least twelve characters.",
            ),
        },
    ),
    (
        "orders",
        "public",
        True,
        287,
        22,
        11,
        {
            "nb": (
                "Spor pakken din",
                "Når ordren er sendt, får du en SMS med sporingsnummer. Pakken kommer vanligvis innen tre virkedager.\n\nHar pakken ikke kommet etter fem virkedager, svar på ordrebekreftelsen, så sjekker vi saken med transportøren.",
            ),
            "nn": (
                "Spor pakka di",
                "Når ordren er send, får du ein SMS med sporingsnummer. Pakka kjem vanlegvis innan tre vyrkedagar.\n\nHar pakka ikkje kome etter fem vyrkedagar, svar på ordrestadfestinga, så sjekkar vi saka med transportøren.",
            ),
            "da": (
                "Følg din pakke",
                "Når ordren er sendt, får du en sms med et sporingsnummer. Pakken kommer normalt inden for tre hverdage.\n\nEr pakken ikke kommet efter fem hverdage, så svar på ordrebekræftelsen, så undersøger vi sagen hos fragtfirmaet.",
            ),
            "sv": (
                "Spåra ditt paket",
                "När beställningen har skickats får du ett sms med spårningsnummer. Paketet kommer oftast inom tre arbetsdagar.\n\nHar paketet inte kommit efter fem arbetsdagar, svara på orderbekräftelsen så kontrollerar vi ärendet med transportören.",
            ),
            "en": (
                "Track your parcel",
                "Once your order ships you get a text message with a tracking number. Parcels usually arrive within three working days.\n\nIf the parcel has not arrived after five working days, reply to the order confirmation and we will check with the carrier.",
            ),
        },
    ),
    (
        "orders",
        "public",
        True,
        198,
        15,
        2,
        {
            "nb": (
                "Returnere en vare og få pengene tilbake",
                "Du har 30 dagers angrerett. Pakk varen godt inn, legg ved returseddelen og lever pakken på et postkontor.\n\nPengene er tilbake på kontoen din senest fjorten dager etter at vi har mottatt returen.",
            ),
            "sv": (
                "Returnera en vara och få pengarna tillbaka",
                "Du har 30 dagars ångerrätt. Packa varan väl, lägg med retursedeln och lämna paketet hos ett ombud.\n\nPengarna är tillbaka på ditt konto senast fjorton dagar efter att vi har tagit emot returen.",
            ),
            "da": (
                "Returner en vare og få pengene tilbage",
                "Du har 30 dages fortrydelsesret. Pak varen godt ind, læg returseddelen i og aflever pakken i en pakkeshop.\n\nPengene er tilbage på din konto senest fjorten dage efter, at vi har modtaget returen.",
            ),
            "en": (
                "Return an item and get a refund",
                "You have 30 days to change your mind. Pack the item well, include the return slip and drop the parcel at a post office.\n\nThe money is back in your account at the latest fourteen days after we receive the return.",
            ),
        },
    ),
    (
        "billing",
        "internal",
        True,
        41,
        6,
        0,
        {
            "nb": (
                "Kreditnota: slik lager du den",
                "Kreditnota lages i økonomisystemet under Faktura › Krediter. Velg hele eller deler av fakturaen og skriv årsaken.\n\nOver 5 000 kroner må en teamleder godkjenne kreditnotaen før den sendes.",
            ),
            "en": (
                "Credit notes: how to issue one",
                "Credit notes are made in the finance system under Invoice › Credit. Choose all or part of the invoice and give the reason.\n\nAbove 5,000 kroner a team lead approves the credit note before it is sent.",
            ),
        },
    ),
    (
        "account",
        "public",
        False,
        0,
        0,
        0,
        {
            "nb": (
                "Logg inn med BankID",
                "Snart kan du logge inn på Min side med BankID. Denne artikkelen er et utkast.",
            ),
        },
    ),
]


def knowledge_base_create() -> None:
    sections = {}
    for key, (names, section_slug, section_names) in CATEGORIES.items():
        category = kb_services.category_create(slug=key, names=names, actor=None)
        sections[key] = kb_services.section_create(
            category=category, slug=section_slug, names=section_names, actor=None
        )
    for key, audience, publish, views, yes, no, texts in ARTICLES:
        languages = list(texts)
        first, *others = languages
        article = kb_services.article_create(
            section=sections[key],
            language=first,
            title=texts[first][0],
            body=texts[first][1],
            audience=audience,
            fallback_language="en" if "en" in texts else first,
            actor=None,
        )
        for language in others:
            title, body = texts[language]
            kb_services.article_translation_save(
                article=article, language=language, title=title, body=body, actor=None
            )
        if publish:
            kb_services.article_set_status(article=article, status="published", actor=None)
        if publish and audience == "public":
            _readers(article.pk, first, views=views, yes=yes, no=no)


def _readers(article_id: int, language: str, *, views: int, yes: int, no: int) -> None:
    """What the portal's readers would have told us, through the same services."""
    for _ in range(views):
        kb_services.article_view_record(article_id=article_id, language=language)
    for n in range(yes + no):
        kb_services.article_feedback_record(
            article_id=article_id,
            language=language,
            helpful=n < yes,
            comment="" if n < yes or n % 3 else COMMENTS[language],
        )
    for _ in range(yes // 4):
        kb_services.article_deflection_record(article_id=article_id, language=language)


COMMENTS = {
    "nb": "Fant ikke svar på det jeg lurte på.",
    "nn": "Fann ikkje svar på det eg lurte på.",
    "da": "Fandt ikke svar på mit spørgsmål.",
    "sv": "Hittade inte svar på min fråga.",
    "en": "Did not answer my question.",
}
