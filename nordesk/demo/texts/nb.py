"""Norwegian Bokmål."""

from . import Language, Lines

TEXTS = Language(
    code="nb",
    customer_greeting="Hei,",
    customer_sign_off="Mvh",
    agent_greeting="Hei {first},",
    agent_greeting_anonymous="Hei,",
    chat_greeting="Hei {first}!",
    chat_greeting_anonymous="Hei!",
    agent_sign_off="Med vennlig hilsen",
    signature="Vinterly kundeservice",
    reply_prefix="SV: ",
    voicemail="Talemelding fra {phone}:",
    currency="{amount} kr",
    thousands=" ",
    hold_reply=(
        "Takk for tålmodigheten. Jeg har sendt saken videre til fagavdelingen og kommer "
        "tilbake til deg så snart jeg vet mer."
    ),
    hold_note="Satt på vent – venter på svar fra fagavdelingen eller leverandøren.",
    supervisor_note="Viktig kunde – prioriter denne og hold meg oppdatert.",
    again=(
        "Jeg skriver igjen om samme sak – det har dessverre ikke løst seg likevel. "
        "Kan dere se på det på nytt?"
    ),
    again_reply=(
        "Takk for at du sier fra igjen, og beklager at det ikke ble løst første gang. Jeg har sett "
        "på saken på nytt og ordnet det nå. Gi beskjed hvis noe fortsatt ikke stemmer."
    ),
    thanks=("Tusen takk for hjelpen!", "Supert, takk skal dere ha!"),
    scenarios={
        "invoice_wrong": Lines(
            subjects=("Feil beløp på faktura {invoice}", "Fakturaen stemmer ikke"),
            openings=(
                "Jeg har fått faktura {invoice} på {amount}, men det stemmer ikke med det jeg "
                "bestilte. Jeg har bare ett abonnement, men er fakturert for to. Kan dere se "
                "på dette og sende en korrigert faktura?",
                "Fakturaen for denne måneden er høyere enn avtalt. Vi har en rabattavtale som "
                "ikke ser ut til å være trukket fra. Fakturanummeret er {invoice}. "
                "Forfallsdatoen er om få dager, så jeg setter pris på rask hjelp.",
            ),
            ask=(
                "Takk for at du tok kontakt. Jeg ser på fakturaen nå. Kan du bekrefte hvilken "
                "e-postadresse abonnementet er registrert på, og gjerne sende et skjermbilde "
                "av ordrebekreftelsen? Da finner jeg raskt ut hva som har gått galt."
            ),
            follow_up=(
                "Abonnementet er registrert på denne adressen. Jeg har lagt ved "
                "ordrebekreftelsen. Trenger dere noe mer?"
            ),
            solve=(
                "Jeg har sett på saken, og du har helt rett – det ble fakturert feil. Jeg har "
                "kreditert faktura {invoice} og sendt en ny, korrigert faktura til deg. Den "
                "gamle kan du se bort fra. Beklager bryet!"
            ),
            note=(
                "Dobbel fakturering skyldes at abonnementet ble opprettet to ganger ved bytte "
                "av betalingskort. Kreditnota sendt, gammel faktura stoppet før inkasso."
            ),
        ),
        "double_charge": Lines(
            subjects=("Trukket to ganger for ordre {order}", "Dobbelt trekk på kortet"),
            openings=(
                "Jeg ser at jeg er trukket {amount} to ganger på kortet for ordre {order}. Jeg "
                "la bare inn én bestilling. Kan dere refundere det ene beløpet?",
                "Betalingen hang seg da jeg skulle betale, så jeg prøvde på nytt. Nå er "
                "beløpet trukket to ganger fra kontoen min. Ordrenummeret er {order}.",
            ),
            ask=(
                "Så leit å høre! Jeg finner foreløpig bare én betaling i vårt system. Kan du "
                "sende oss et skjermbilde fra nettbanken som viser begge trekkene, med dato "
                "og beløp?"
            ),
            follow_up=(
                "Her er skjermbildet fra nettbanken. Begge trekkene er datert samme dag, med "
                "noen minutters mellomrom."
            ),
            solve=(
                "Takk! Jeg har bekreftet det doble trekket og satt i gang refusjon av "
                "{amount}. Pengene skal være tilbake på kontoen din innen 3–5 virkedager, "
                "avhengig av banken din."
            ),
            note=(
                "Betalingsleverandøren bekrefter to autorisasjoner på samme ordre. Refusjon "
                "registrert manuelt i betalingsportalen."
            ),
        ),
        "cancel_subscription": Lines(
            subjects=("Si opp abonnement", "Oppsigelse av Vinterly Pluss"),
            openings=(
                "Jeg ønsker å si opp Vinterly Pluss-abonnementet mitt fra neste måned. Kan "
                "dere bekrefte oppsigelsen og når siste trekk blir?",
                "Vi flytter utenlands og trenger ikke lenger abonnementet. Hvordan sier jeg "
                "det opp? Jeg finner ingen knapp for det på Min side.",
            ),
            ask=(
                "Så synd at du vil avslutte! Før jeg sier opp: vil du heller sette "
                "abonnementet på pause i inntil tre måneder? Si ifra om du fortsatt ønsker å "
                "si opp, så ordner jeg det."
            ),
            follow_up="Takk for tilbudet, men jeg vil gjerne si det opp helt.",
            solve=(
                "Da er abonnementet ditt sagt opp. Du beholder fordelene ut inneværende "
                "periode, og det blir ikke flere trekk etter dette. Du får en bekreftelse på "
                "e-post. Takk for at du har vært kunde hos oss!"
            ),
            note="Kunden ble tilbudt pause, men ønsket oppsigelse. Ingen bindingstid igjen.",
        ),
        "delivery_late": Lines(
            subjects=("Hvor er pakken min? Ordre {order}", "Forsinket levering"),
            openings=(
                "Jeg bestilte {product} for over en uke siden (ordre {order}), og sporingen "
                "har ikke oppdatert seg på fire dager. Når kan jeg forvente å få pakken?",
                "Pakken skulle vært levert i går, men den har ikke kommet. Jeg trenger den før "
                "helgen. Kan dere sjekke hva som skjer med ordre {order}?",
            ),
            ask=(
                "Beklager forsinkelsen! Jeg ser at pakken står registrert hos transportøren. "
                "Kan du bekrefte leveringsadressen, så jeg kan sende en etterlysning?"
            ),
            follow_up=(
                "Adressen er riktig, og navnet mitt står på postkassen. Jeg har ikke fått noen "
                "hentelapp."
            ),
            solve=(
                "Jeg har vært i kontakt med transportøren. Pakken ble feilsortert på "
                "terminalen, men er nå på vei og skal leveres i morgen. Som en beklagelse har "
                "jeg refundert fraktkostnaden."
            ),
            note=(
                "Etterlysning sendt til Bring, ref. ETL-{order}. Frakt refundert som kompensasjon."
            ),
        ),
        "return_product": Lines(
            subjects=("Retur av {product}", "Ønsker å returnere en vare"),
            openings=(
                "Jeg vil gjerne returnere {product} fra ordre {order}. Produktet passet "
                "dessverre ikke til det jeg trengte. Hvordan går jeg frem?",
                "Jeg fikk {product} i gave, men har allerede en. Kan jeg bytte den i noe "
                "annet, eller få tilgodelapp?",
            ),
            ask=(
                "Selvfølgelig! Varen kan returneres innen 30 dager. Er produktet uåpnet, og "
                "har du originalemballasjen? Da sender jeg deg en returetikett."
            ),
            follow_up="Ja, den er uåpnet og ligger i originalesken.",
            solve=(
                "Flott! Jeg har sendt deg en forhåndsbetalt returetikett på e-post. Lever "
                "pakken på nærmeste postkontor eller pakkeautomat. Pengene refunderes innen "
                "fem virkedager etter at vi har mottatt returen."
            ),
            note="Retur godkjent, uåpnet vare. Returetikett generert.",
        ),
        "damaged_goods": Lines(
            subjects=("Varen kom i stykker", "Skadet pakke – ordre {order}"),
            openings=(
                "Da jeg åpnet pakken i dag, var {product} knust. Esken var tydelig skadet "
                "under transporten. Jeg har tatt bilder. Hva gjør jeg nå?",
                "{product} fra ordre {order} virker ikke. Det er en sprekk i kabinettet, og "
                "det rasler inni. Jeg vil gjerne ha en ny.",
            ),
            ask=(
                "Det var virkelig leit! Kan du sende oss bilder av skaden og av emballasjen? "
                "Ta vare på esken til saken er avsluttet."
            ),
            follow_up="Jeg har lagt ved tre bilder av skaden og esken.",
            solve=(
                "Takk for bildene. Vi sender deg en ny {product} kostnadsfritt, og den er på "
                "vei i dag. Du trenger ikke returnere den ødelagte – den kan leveres til "
                "gjenvinning."
            ),
            note=(
                "Transportskade dokumentert med bilder. Reklamasjon meldt til transportør. "
                "Erstatningsvare sendt fra lageret i Oslo."
            ),
        ),
        "change_address": Lines(
            subjects=("Endre leveringsadresse på ordre {order}", "Feil adresse på bestillingen"),
            openings=(
                "Jeg oppdaget at jeg har skrevet feil adresse på ordre {order}. Riktig adresse "
                "er Storgata 14B, 0155 Oslo. Rekker dere å endre den før pakken sendes?",
                "Jeg flytter neste uke. Kan dere endre leveringsadressen på bestillingen min "
                "til Kirkeveien 52, 0368 Oslo?",
            ),
            ask=(
                "Det skal vi få til! Kan du bekrefte postnummeret og om det er en leilighet "
                "med navnet ditt på ringeklokken?"
            ),
            follow_up="Postnummeret er riktig, og navnet mitt står på ringeklokken.",
            solve=(
                "Leveringsadressen er nå oppdatert, og pakken sendes til den nye adressen. Du "
                "får sporingsnummer på SMS når pakken er sendt."
            ),
            note="Adresse endret i ordresystemet før plukk. Lageret er varslet.",
        ),
        "password_reset": Lines(
            subjects=("Får ikke logget inn", "Tilbakestille passord"),
            openings=(
                "Jeg har glemt passordet mitt, og e-posten for å tilbakestille det kommer "
                "aldri frem. Jeg har sjekket søppelposten også.",
                "Kontoen min er låst etter for mange innloggingsforsøk. Hvordan får jeg "
                "tilgang igjen?",
            ),
            ask=(
                "Beklager trøbbelet! Hvilken e-postadresse bruker du for å logge inn? Noen "
                "ganger er kontoen registrert på en gammel adresse."
            ),
            follow_up="Det kan hende det er jobbadressen min. Kan dere sjekke den også?",
            solve=(
                "Jeg har låst opp kontoen din og sendt en ny lenke for å tilbakestille "
                "passordet. Lenken er gyldig i én time. Si fra hvis den ikke dukker opp i "
                "innboksen."
            ),
            note=(
                "Kontoen var låst etter 10 mislykkede forsøk. Låst opp manuelt. E-posten ble "
                "stoppet av kundens spamfilter."
            ),
        ),
        "app_crash": Lines(
            subjects=("Appen krasjer ved oppstart", "Vinterly-appen lukker seg hele tiden"),
            openings=(
                "Etter siste oppdatering krasjer appen hver gang jeg åpner den. Jeg har prøvd "
                "å starte telefonen på nytt og installere appen på nytt, uten hell. "
                "Appversjon {version}.",
                "Appen lukker seg når jeg prøver å se ordrehistorikken min. Det skjer hver "
                "gang. Jeg bruker en iPhone 13 med siste iOS.",
            ),
            ask=(
                "Takk for at du melder fra! Kan du fortelle hvilken telefonmodell og "
                "operativsystemversjon du bruker, og omtrent når feilen startet?"
            ),
            follow_up=(
                "Jeg bruker en Samsung Galaxy S22 med Android 14. Det startet rett etter "
                "oppdateringen i forrige uke."
            ),
            solve=(
                "Vi har funnet feilen, og den er rettet i appversjon {version_fix}, som nå "
                "ligger i App Store og Google Play. Oppdater appen, så skal alt virke igjen. "
                "Takk for god hjelp med feilsøkingen!"
            ),
            note=(
                "Kjent feil i {version} på Android 14, sporet i APP-{bug}. "
                "Rettelse kommer i {version_fix}."
            ),
        ),
        "business_account": Lines(
            subjects=("Bedriftsavtale for {org}", "Flere brukere på bedriftskontoen"),
            openings=(
                "Vi i {org} ønsker å samle innkjøpene våre på én bedriftskonto med faktura. Vi "
                "er rundt 40 ansatte. Hva kan dere tilby?",
                "Vi trenger å legge til fem nye brukere på bedriftskontoen vår og vil gjerne "
                "ha fakturaen som EHF. Hvordan ordner vi det?",
            ),
            ask=(
                "Så hyggelig! For å sette opp avtalen trenger jeg organisasjonsnummer, "
                "fakturaadresse og en kontaktperson for innkjøp. Kan du sende meg dette?"
            ),
            follow_up=(
                "Organisasjonsnummeret er 998 877 665, og fakturaen kan sendes som EHF. "
                "Kontaktperson er meg."
            ),
            solve=(
                "Da er bedriftskontoen satt opp med fakturering via EHF og 30 dagers "
                "betalingsfrist. Dere har fått en egen kontaktperson hos oss, og nye brukere "
                "kan legges til under Bedrift på Min side."
            ),
            note="Ny bedriftsavtale, standard B2B-rabatt 8 %. Kredittsjekk OK.",
        ),
    },
)
