"""Swedish."""

from . import Language, Lines

TEXTS = Language(
    code="sv",
    customer_greeting="Hej,",
    customer_sign_off="Med vänliga hälsningar",
    agent_greeting="Hej {first},",
    agent_greeting_anonymous="Hej,",
    chat_greeting="Hej {first}!",
    chat_greeting_anonymous="Hej!",
    agent_sign_off="Vänliga hälsningar",
    signature="Vinterly kundtjänst",
    reply_prefix="SV: ",
    voicemail="Röstmeddelande från {phone}:",
    currency="{amount} kr",
    thousands=" ",
    hold_reply=(
        "Tack för ditt tålamod. Jag har skickat ärendet vidare till vår specialistavdelning "
        "och återkommer så snart jag vet mer."
    ),
    hold_note="Vilande – väntar på svar från specialistavdelningen eller leverantören.",
    supervisor_note="Viktig kund – prioritera det här ärendet och håll mig uppdaterad.",
    again=(
        "Jag skriver igen om samma ärende – det har tyvärr inte löst sig ändå. "
        "Kan ni titta på det igen?"
    ),
    again_reply=(
        "Tack för att du hör av dig igen, och förlåt att det inte löste sig första gången. Jag har "
        "tittat på ärendet på nytt och ordnat det nu. Hör av dig om något fortfarande inte stämmer."
    ),
    thanks=("Tack så mycket för hjälpen!", "Toppen, stort tack!"),
    scenarios={
        "invoice_wrong": Lines(
            subjects=("Fel belopp på faktura {invoice}", "Fakturan stämmer inte"),
            openings=(
                "Jag har fått faktura {invoice} på {amount}, men den stämmer inte med det jag "
                "beställde. Jag har bara ett abonnemang men har fakturerats för två. Kan ni "
                "titta på det och skicka en korrigerad faktura?",
                "Månadens faktura är högre än vi kommit överens om. Vi har ett rabattavtal som "
                "inte verkar ha dragits av. Fakturanumret är {invoice}. Förfallodagen är om "
                "några dagar, så jag uppskattar snabb hjälp.",
            ),
            ask=(
                "Tack för att du hör av dig. Jag tittar på fakturan nu. Kan du bekräfta vilken "
                "e-postadress abonnemanget är registrerat på, och gärna skicka en skärmdump av "
                "orderbekräftelsen? Då kan jag snabbt se vad som har gått fel."
            ),
            follow_up=(
                "Abonnemanget är registrerat på den här adressen. Jag har bifogat "
                "orderbekräftelsen. Behöver ni något mer?"
            ),
            solve=(
                "Jag har gått igenom ärendet och du har helt rätt – det blev fel i "
                "faktureringen. Jag har krediterat faktura {invoice} och skickat en ny, "
                "korrigerad faktura till dig. Den gamla kan du bortse från. Ursäkta besväret!"
            ),
            note=(
                "Dubbelfaktureringen beror på att abonnemanget skapades två gånger vid byte av "
                "betalkort. Kreditnota skickad."
            ),
        ),
        "double_charge": Lines(
            subjects=("Dragen två gånger för order {order}", "Dubbeldragning på kortet"),
            openings=(
                "Jag ser att jag har blivit debiterad {amount} två gånger på kortet för order "
                "{order}. Jag lade bara en beställning. Kan ni återbetala det ena beloppet?",
                "Betalningen hängde sig när jag skulle betala, så jag försökte igen. Nu har "
                "beloppet dragits två gånger från mitt konto. Ordernumret är {order}.",
            ),
            ask=(
                "Vad tråkigt att höra! Jag hittar än så länge bara en betalning i vårt system. "
                "Kan du skicka en skärmdump från internetbanken som visar båda dragningarna "
                "med datum och belopp?"
            ),
            follow_up=(
                "Här är skärmdumpen från internetbanken. Båda dragningarna är från samma dag "
                "med några minuters mellanrum."
            ),
            solve=(
                "Tack! Jag har bekräftat dubbeldragningen och startat en återbetalning på "
                "{amount}. Pengarna ska vara tillbaka på ditt konto inom 3–5 bankdagar, "
                "beroende på din bank."
            ),
            note=(
                "Betalleverantören bekräftar två auktoriseringar på samma order. "
                "Återbetalning registrerad manuellt."
            ),
        ),
        "cancel_subscription": Lines(
            subjects=("Säga upp abonnemang", "Uppsägning av Vinterly Plus"),
            openings=(
                "Jag vill säga upp mitt Vinterly Plus-abonnemang från och med nästa månad. Kan "
                "ni bekräfta uppsägningen och när den sista dragningen sker?",
                "Vi flyttar utomlands och behöver inte längre abonnemanget. Hur säger jag upp "
                "det? Jag hittar ingen knapp för det på Mina sidor.",
            ),
            ask=(
                "Vad synd att du vill avsluta! Innan jag säger upp: vill du hellre pausa "
                "abonnemanget i upp till tre månader? Hör av dig om du fortfarande vill säga "
                "upp, så ordnar jag det."
            ),
            follow_up="Tack för erbjudandet, men jag vill säga upp det helt.",
            solve=(
                "Nu är ditt abonnemang uppsagt. Du behåller förmånerna resten av den "
                "nuvarande perioden, och det blir inga fler dragningar. Du får en bekräftelse "
                "via e-post. Tack för att du har varit kund hos oss!"
            ),
            note="Kunden erbjöds paus men ville säga upp. Ingen bindningstid kvar.",
        ),
        "delivery_late": Lines(
            subjects=("Var är mitt paket? Order {order}", "Försenad leverans"),
            openings=(
                "Jag beställde {product} för över en vecka sedan (order {order}), och "
                "spårningen har inte uppdaterats på fyra dagar. När kan jag räkna med att få "
                "paketet?",
                "Paketet skulle ha levererats i går, men det har inte kommit. Jag behöver det "
                "före helgen. Kan ni kolla vad som händer med order {order}?",
            ),
            ask=(
                "Ursäkta förseningen! Jag ser att paketet är registrerat hos transportören. "
                "Kan du bekräfta leveransadressen, så att jag kan skicka en efterlysning?"
            ),
            follow_up=(
                "Adressen stämmer, och mitt namn står på brevlådan. Jag har inte fått någon "
                "avisering."
            ),
            solve=(
                "Jag har varit i kontakt med transportören. Paketet hade sorterats fel på "
                "terminalen men är nu på väg och levereras i morgon. Som en ursäkt har jag "
                "återbetalat fraktkostnaden."
            ),
            note=(
                "Efterlysning skickad till PostNord, ref. ETL-{order}. Frakten återbetald som "
                "kompensation."
            ),
        ),
        "return_product": Lines(
            subjects=("Retur av {product}", "Vill returnera en vara"),
            openings=(
                "Jag vill gärna returnera {product} från order {order}. Den passade tyvärr "
                "inte mina behov. Hur går jag tillväga?",
                "Jag fick {product} i present men har redan en. Kan jag byta den mot något "
                "annat eller få ett tillgodokvitto?",
            ),
            ask=(
                "Självklart! Varan kan returneras inom 30 dagar. Är produkten oöppnad, och har "
                "du originalförpackningen kvar? Då skickar jag en returetikett."
            ),
            follow_up="Ja, den är oöppnad och ligger kvar i originalkartongen.",
            solve=(
                "Toppen! Jag har mejlat dig en förbetald returetikett. Lämna paketet hos "
                "närmaste ombud eller paketbox. Pengarna återbetalas inom fem arbetsdagar "
                "efter att vi har tagit emot returen."
            ),
            note="Retur godkänd, oöppnad vara. Returetikett skapad.",
        ),
        "damaged_goods": Lines(
            subjects=("Varan var trasig", "Skadat paket – order {order}"),
            openings=(
                "När jag öppnade paketet i dag var {product} krossad. Kartongen hade tydligt "
                "skadats under transporten. Jag har tagit bilder. Vad gör jag nu?",
                "{product} från order {order} fungerar inte. Det är en spricka i höljet och "
                "det skramlar inuti. Jag vill gärna ha en ny.",
            ),
            ask=(
                "Det var verkligen tråkigt! Kan du skicka bilder på skadan och på "
                "förpackningen? Spara kartongen tills ärendet är avslutat."
            ),
            follow_up="Jag har bifogat tre bilder på skadan och kartongen.",
            solve=(
                "Tack för bilderna. Vi skickar ett nytt exemplar av {product} utan kostnad, "
                "och det är på väg i dag. Du behöver inte returnera det trasiga – det kan "
                "lämnas till återvinning."
            ),
            note=(
                "Transportskada dokumenterad med bilder. Reklamation anmäld till "
                "transportören. Ersättningsvara skickad från lagret i Göteborg."
            ),
        ),
        "change_address": Lines(
            subjects=("Ändra leveransadress på order {order}", "Fel adress på beställningen"),
            openings=(
                "Jag upptäckte att jag har skrivit fel adress på order {order}. Rätt adress är "
                "Götgatan 45, 116 21 Stockholm. Hinner ni ändra den innan paketet skickas?",
                "Jag flyttar nästa vecka. Kan ni ändra leveransadressen på min beställning "
                "till Kungsgatan 12, 411 19 Göteborg?",
            ),
            ask=(
                "Det ordnar vi! Kan du bekräfta postnumret och om det är en lägenhet med ditt "
                "namn på porttelefonen?"
            ),
            follow_up="Postnumret stämmer, och mitt namn står på porttelefonen.",
            solve=(
                "Leveransadressen är nu uppdaterad, och paketet skickas till den nya "
                "adressen. Du får ett spårningsnummer via sms när paketet har skickats."
            ),
            note="Adressen ändrad i ordersystemet före plock. Lagret informerat.",
        ),
        "password_reset": Lines(
            subjects=("Kan inte logga in", "Återställa lösenord"),
            openings=(
                "Jag har glömt mitt lösenord, och mejlet för att återställa det kommer aldrig "
                "fram. Jag har kollat skräpposten också.",
                "Mitt konto är låst efter för många inloggningsförsök. Hur får jag tillgång igen?",
            ),
            ask=(
                "Ledsen för besväret! Vilken e-postadress använder du för att logga in? "
                "Ibland är kontot registrerat på en gammal adress."
            ),
            follow_up="Det kan vara min jobbadress. Kan ni kolla den också?",
            solve=(
                "Jag har låst upp ditt konto och skickat en ny länk för att återställa "
                "lösenordet. Länken gäller i en timme. Hör av dig om den inte dyker upp i "
                "inkorgen."
            ),
            note=(
                "Kontot var låst efter 10 misslyckade försök. Upplåst manuellt. Mejlet "
                "stoppades av kundens spamfilter."
            ),
        ),
        "app_crash": Lines(
            subjects=("Appen kraschar vid start", "Vinterly-appen stängs hela tiden"),
            openings=(
                "Efter den senaste uppdateringen kraschar appen varje gång jag öppnar den. Jag "
                "har försökt starta om telefonen och installera om appen, utan resultat. "
                "Appversion {version}.",
                "Appen stängs när jag försöker se min orderhistorik. Det händer varje gång. "
                "Jag använder en iPhone 13 med senaste iOS.",
            ),
            ask=(
                "Tack för att du hör av dig! Kan du berätta vilken telefonmodell och version "
                "av operativsystemet du använder, och ungefär när felet började?"
            ),
            follow_up=(
                "Jag använder en Samsung Galaxy S22 med Android 14. Det började direkt efter "
                "uppdateringen förra veckan."
            ),
            solve=(
                "Vi har hittat felet, och det är åtgärdat i appversion {version_fix}, som nu "
                "finns i App Store och Google Play. Uppdatera appen så ska allt fungera igen. "
                "Tack för hjälpen med felsökningen!"
            ),
            note=(
                "Känt fel i {version} på Android 14, spåras i APP-{bug}. "
                "Rättning kommer i {version_fix}."
            ),
        ),
        "business_account": Lines(
            subjects=("Företagsavtal för {org}", "Fler användare på företagskontot"),
            openings=(
                "Vi på {org} vill samla våra inköp på ett företagskonto med faktura. Vi är "
                "ungefär 40 anställda. Vad kan ni erbjuda?",
                "Vi behöver lägga till fem nya användare på vårt företagskonto och vill gärna "
                "få fakturan som e-faktura via Peppol. Hur ordnar vi det?",
            ),
            ask=(
                "Vad roligt! För att sätta upp avtalet behöver jag ert organisationsnummer, "
                "fakturaadress och en kontaktperson för inköp. Kan du skicka det till mig?"
            ),
            follow_up=(
                "Vårt organisationsnummer är 556677-8899, och fakturan kan skickas via "
                "Peppol. Kontaktperson är jag."
            ),
            solve=(
                "Nu är företagskontot uppsatt med e-faktura via Peppol och 30 dagars "
                "betalningsvillkor. Ni har fått en egen kontaktperson hos oss, och nya "
                "användare kan läggas till under Företag på Mina sidor."
            ),
            note="Nytt företagsavtal, standard B2B-rabatt 8 %. Kreditupplysning OK.",
        ),
    },
)
