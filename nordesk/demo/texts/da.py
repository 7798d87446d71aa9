"""Danish."""

from . import Language, Lines

TEXTS = Language(
    code="da",
    customer_greeting="Hej,",
    customer_sign_off="Venlig hilsen",
    agent_greeting="Hej {first},",
    agent_greeting_anonymous="Hej,",
    chat_greeting="Hej {first}!",
    chat_greeting_anonymous="Hej!",
    agent_sign_off="Venlig hilsen",
    signature="Vinterly kundeservice",
    reply_prefix="SV: ",
    voicemail="Telefonbesked fra {phone}:",
    currency="{amount} kr.",
    thousands=".",
    hold_reply=(
        "Tak for din tålmodighed. Jeg har sendt sagen videre til vores fagafdeling og vender "
        "tilbage, så snart jeg ved mere."
    ),
    hold_note="Sat på hold – afventer svar fra fagafdelingen eller leverandøren.",
    supervisor_note="Vigtig kunde – prioritér denne og hold mig opdateret.",
    again=(
        "Jeg skriver igen om samme sag – det er desværre ikke løst alligevel. "
        "Kan I kigge på det igen?"
    ),
    again_reply=(
        "Tak fordi du skriver igen, og undskyld at det ikke blev løst første gang. Jeg har kigget "
        "på sagen igen og ordnet det nu. Giv besked, hvis noget stadig ikke passer."
    ),
    thanks=("Mange tak for hjælpen!", "Super, tusind tak!"),
    scenarios={
        "invoice_wrong": Lines(
            subjects=("Forkert beløb på faktura {invoice}", "Fakturaen passer ikke"),
            openings=(
                "Jeg har modtaget faktura {invoice} på {amount}, men den passer ikke med det, "
                "jeg har bestilt. Jeg har kun ét abonnement, men er faktureret for to. Vil I "
                "se på det og sende en rettet faktura?",
                "Månedens faktura er højere end aftalt. Vi har en rabataftale, som ikke ser ud "
                "til at være trukket fra. Fakturanummeret er {invoice}. Betalingsfristen er om "
                "få dage, så jeg vil sætte pris på hurtig hjælp.",
            ),
            ask=(
                "Tak fordi du skriver. Jeg kigger på fakturaen nu. Kan du bekræfte, hvilken "
                "e-mailadresse abonnementet er oprettet på, og gerne sende et skærmbillede af "
                "ordrebekræftelsen? Så kan jeg hurtigt finde ud af, hvad der er gået galt."
            ),
            follow_up=(
                "Abonnementet er oprettet på denne adresse. Jeg har vedhæftet "
                "ordrebekræftelsen. Har I brug for andet?"
            ),
            solve=(
                "Jeg har kigget på sagen, og du har helt ret – der er faktureret forkert. Jeg "
                "har krediteret faktura {invoice} og sendt en ny, rettet faktura til dig. Den "
                "gamle kan du se bort fra. Undskyld ulejligheden!"
            ),
            note=(
                "Dobbeltfakturering skyldes, at abonnementet blev oprettet to gange ved skift "
                "af betalingskort. Kreditnota sendt."
            ),
        ),
        "double_charge": Lines(
            subjects=("Trukket to gange for ordre {order}", "Dobbelt træk på kortet"),
            openings=(
                "Jeg kan se, at jeg er blevet trukket {amount} to gange på mit kort for ordre "
                "{order}. Jeg har kun afgivet én bestilling. Kan I refundere det ene beløb?",
                "Betalingen hang, da jeg skulle betale, så jeg prøvede igen. Nu er beløbet "
                "trukket to gange fra min konto. Ordrenummeret er {order}.",
            ),
            ask=(
                "Det er jeg ked af at høre! Jeg kan indtil videre kun finde én betaling i "
                "vores system. Kan du sende os et skærmbillede fra netbanken, der viser begge "
                "træk med dato og beløb?"
            ),
            follow_up=(
                "Her er skærmbilledet fra netbanken. Begge træk er fra samme dag med få "
                "minutters mellemrum."
            ),
            solve=(
                "Tak! Jeg har bekræftet det dobbelte træk og sat en refundering af {amount} i "
                "gang. Pengene er tilbage på din konto inden for 3–5 bankdage, afhængigt af "
                "din bank."
            ),
            note=(
                "Betalingsudbyderen bekræfter to autorisationer på samme ordre. Refundering "
                "registreret manuelt."
            ),
        ),
        "cancel_subscription": Lines(
            subjects=("Opsigelse af abonnement", "Opsig Vinterly Plus"),
            openings=(
                "Jeg vil gerne opsige mit Vinterly Plus-abonnement fra næste måned. Kan I "
                "bekræfte opsigelsen, og hvornår det sidste træk bliver?",
                "Vi flytter til udlandet og har ikke længere brug for abonnementet. Hvordan "
                "opsiger jeg det? Jeg kan ikke finde en knap til det på Min side.",
            ),
            ask=(
                "Hvor ærgerligt, at du vil stoppe! Inden jeg opsiger: vil du hellere sætte "
                "abonnementet på pause i op til tre måneder? Giv besked, hvis du stadig ønsker "
                "at opsige, så ordner jeg det."
            ),
            follow_up="Tak for tilbuddet, men jeg vil gerne opsige det helt.",
            solve=(
                "Så er dit abonnement opsagt. Du beholder fordelene resten af den nuværende "
                "periode, og der kommer ikke flere træk. Du får en bekræftelse på e-mail. Tak "
                "fordi du har været kunde hos os!"
            ),
            note="Kunden blev tilbudt pause, men ønskede opsigelse. Ingen binding tilbage.",
        ),
        "delivery_late": Lines(
            subjects=("Hvor er min pakke? Ordre {order}", "Forsinket levering"),
            openings=(
                "Jeg bestilte {product} for over en uge siden (ordre {order}), og sporingen "
                "har ikke opdateret sig i fire dage. Hvornår kan jeg forvente at få pakken?",
                "Pakken skulle have været leveret i går, men den er ikke kommet. Jeg skal "
                "bruge den inden weekenden. Kan I undersøge, hvad der sker med ordre {order}?",
            ),
            ask=(
                "Undskyld forsinkelsen! Jeg kan se, at pakken er registreret hos "
                "fragtfirmaet. Kan du bekræfte leveringsadressen, så jeg kan sende en "
                "efterlysning?"
            ),
            follow_up=(
                "Adressen er korrekt, og mit navn står på postkassen. Jeg har ikke fået nogen "
                "afhentningsseddel."
            ),
            solve=(
                "Jeg har været i kontakt med fragtfirmaet. Pakken blev fejlsorteret på "
                "terminalen, men er nu på vej og bliver leveret i morgen. Som en undskyldning "
                "har jeg refunderet fragten."
            ),
            note=(
                "Efterlysning sendt til PostNord, ref. ETL-{order}. Fragt refunderet som "
                "kompensation."
            ),
        ),
        "return_product": Lines(
            subjects=("Returnering af {product}", "Vil gerne returnere en vare"),
            openings=(
                "Jeg vil gerne returnere {product} fra ordre {order}. Den passede desværre "
                "ikke til mit behov. Hvordan gør jeg?",
                "Jeg har fået {product} i gave, men har allerede en. Kan jeg bytte den til "
                "noget andet eller få et tilgodebevis?",
            ),
            ask=(
                "Selvfølgelig! Varen kan returneres inden for 30 dage. Er produktet uåbnet, og "
                "har du den originale emballage? Så sender jeg dig en returlabel."
            ),
            follow_up="Ja, den er uåbnet og ligger i den originale æske.",
            solve=(
                "Fint! Jeg har sendt dig en forudbetalt returlabel på e-mail. Aflever pakken i "
                "nærmeste pakkeshop eller pakkeboks. Pengene refunderes inden for fem "
                "hverdage, efter vi har modtaget returneringen."
            ),
            note="Retur godkendt, uåbnet vare. Returlabel oprettet.",
        ),
        "damaged_goods": Lines(
            subjects=("Varen var i stykker", "Beskadiget pakke – ordre {order}"),
            openings=(
                "Da jeg åbnede pakken i dag, var {product} knust. Kassen var tydeligvis blevet "
                "beskadiget under transporten. Jeg har taget billeder. Hvad gør jeg nu?",
                "{product} fra ordre {order} virker ikke. Der er en revne i kabinettet, og det "
                "rasler indeni. Jeg vil gerne have en ny.",
            ),
            ask=(
                "Det er virkelig ærgerligt! Kan du sende os billeder af skaden og af "
                "emballagen? Gem kassen, indtil sagen er afsluttet."
            ),
            follow_up="Jeg har vedhæftet tre billeder af skaden og kassen.",
            solve=(
                "Tak for billederne. Vi sender dig et nyt eksemplar af {product} uden "
                "beregning, og det er på vej i dag. Du behøver ikke returnere det ødelagte – "
                "det kan afleveres til genbrug."
            ),
            note=(
                "Transportskade dokumenteret med billeder. Reklamation anmeldt til "
                "fragtfirmaet. Erstatningsvare sendt fra lageret i Aarhus."
            ),
        ),
        "change_address": Lines(
            subjects=("Ændr leveringsadresse på ordre {order}", "Forkert adresse på bestillingen"),
            openings=(
                "Jeg har opdaget, at jeg har skrevet en forkert adresse på ordre {order}. Den "
                "rigtige adresse er Vesterbrogade 112, 1620 København V. Kan I nå at ændre "
                "den, før pakken bliver sendt?",
                "Jeg flytter i næste uge. Kan I ændre leveringsadressen på min bestilling til "
                "Søndergade 8, 8000 Aarhus C?",
            ),
            ask=(
                "Det klarer vi! Kan du bekræfte postnummeret, og om det er en lejlighed med "
                "dit navn på dørtelefonen?"
            ),
            follow_up="Postnummeret er korrekt, og mit navn står på dørtelefonen.",
            solve=(
                "Leveringsadressen er nu opdateret, og pakken bliver sendt til den nye "
                "adresse. Du får et trackingnummer på sms, når pakken er afsendt."
            ),
            note="Adressen er ændret i ordresystemet før pluk. Lageret er orienteret.",
        ),
        "password_reset": Lines(
            subjects=("Kan ikke logge ind", "Nulstil adgangskode"),
            openings=(
                "Jeg har glemt min adgangskode, og mailen til at nulstille den kommer aldrig "
                "frem. Jeg har også tjekket spam.",
                "Min konto er låst efter for mange loginforsøg. Hvordan får jeg adgang igen?",
            ),
            ask=(
                "Beklager besværet! Hvilken e-mailadresse bruger du til at logge ind? Nogle "
                "gange er kontoen oprettet på en gammel adresse."
            ),
            follow_up="Det kan være min arbejdsmail. Kan I også tjekke den?",
            solve=(
                "Jeg har låst din konto op og sendt et nyt link til at nulstille "
                "adgangskoden. Linket er gyldigt i en time. Sig til, hvis det ikke dukker op i "
                "din indbakke."
            ),
            note=(
                "Kontoen var låst efter 10 mislykkede forsøg. Låst op manuelt. Mailen blev "
                "blokeret af kundens spamfilter."
            ),
        ),
        "app_crash": Lines(
            subjects=("Appen crasher ved opstart", "Vinterly-appen lukker hele tiden"),
            openings=(
                "Efter den seneste opdatering crasher appen, hver gang jeg åbner den. Jeg har "
                "prøvet at genstarte telefonen og geninstallere appen uden held. "
                "Appversion {version}.",
                "Appen lukker ned, når jeg prøver at se min ordrehistorik. Det sker hver gang. "
                "Jeg bruger en iPhone 13 med nyeste iOS.",
            ),
            ask=(
                "Tak fordi du melder det! Kan du fortælle, hvilken telefonmodel og version af "
                "styresystemet du bruger, og cirka hvornår fejlen begyndte?"
            ),
            follow_up=(
                "Jeg bruger en Samsung Galaxy S22 med Android 14. Det begyndte lige efter "
                "opdateringen i sidste uge."
            ),
            solve=(
                "Vi har fundet fejlen, og den er rettet i appversion {version_fix}, som nu "
                "ligger i App Store og Google Play. Opdater appen, så virker det igen. Tak for "
                "hjælpen med fejlfindingen!"
            ),
            note=(
                "Kendt fejl i {version} på Android 14, sporet i APP-{bug}. "
                "Rettelse kommer i {version_fix}."
            ),
        ),
        "business_account": Lines(
            subjects=("Erhvervsaftale for {org}", "Flere brugere på erhvervskontoen"),
            openings=(
                "Vi i {org} vil gerne samle vores indkøb på én erhvervskonto med faktura. Vi "
                "er omkring 40 medarbejdere. Hvad kan I tilbyde?",
                "Vi skal have tilføjet fem nye brugere på vores erhvervskonto og vil gerne "
                "modtage fakturaen via EAN. Hvordan klarer vi det?",
            ),
            ask=(
                "Hvor dejligt! For at oprette aftalen skal jeg bruge jeres CVR-nummer, "
                "fakturaadresse og en kontaktperson for indkøb. Kan du sende mig det?"
            ),
            follow_up=(
                "Vores CVR-nummer er 38214567, og fakturaen kan sendes via EAN. "
                "Kontaktpersonen er mig."
            ),
            solve=(
                "Så er erhvervskontoen oprettet med fakturering via EAN og 30 dages "
                "betalingsfrist. I har fået en fast kontaktperson hos os, og nye brugere kan "
                "tilføjes under Erhverv på Min side."
            ),
            note="Ny erhvervsaftale, standard B2B-rabat 8 %. Kreditvurdering OK.",
        ),
    },
)
