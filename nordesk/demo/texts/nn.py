"""Norwegian Nynorsk."""

from . import Language, Lines

TEXTS = Language(
    code="nn",
    customer_greeting="Hei,",
    customer_sign_off="Helsing",
    agent_greeting="Hei {first},",
    agent_greeting_anonymous="Hei,",
    chat_greeting="Hei {first}!",
    chat_greeting_anonymous="Hei!",
    agent_sign_off="Venleg helsing",
    signature="Vinterly kundeservice",
    reply_prefix="SV: ",
    voicemail="Talemelding frå {phone}:",
    currency="{amount} kr",
    thousands=" ",
    hold_reply=(
        "Takk for tolmodet. Eg har sendt saka vidare til fagavdelinga og kjem tilbake til "
        "deg så snart eg veit meir."
    ),
    hold_note="Sett på vent – ventar på svar frå fagavdelinga eller leverandøren.",
    supervisor_note="Viktig kunde – prioriter denne og hald meg oppdatert.",
    again=(
        "Eg skriv att om same sak – det har dessverre ikkje løyst seg likevel. "
        "Kan de sjå på det på nytt?"
    ),
    again_reply=(
        "Takk for at du seier frå att, og orsak at det ikkje vart løyst første gongen. Eg har sett "
        "på saka på nytt og ordna det no. Sei frå om noko framleis ikkje stemmer."
    ),
    thanks=("Tusen takk for hjelpa!", "Supert, takk skal de ha!"),
    scenarios={
        "invoice_wrong": Lines(
            subjects=("Feil beløp på faktura {invoice}", "Fakturaen stemmer ikkje"),
            openings=(
                "Eg har fått faktura {invoice} på {amount}, men det stemmer ikkje med det eg "
                "bestilte. Eg har berre eitt abonnement, men er fakturert for to. Kan de sjå "
                "på dette og sende ein korrigert faktura?",
                "Fakturaen for denne månaden er høgare enn avtalt. Vi har ein rabattavtale "
                "som ikkje ser ut til å vere trekt frå. Fakturanummeret er {invoice}. "
                "Forfallsdatoen er om få dagar, så eg set pris på rask hjelp.",
            ),
            ask=(
                "Takk for at du tok kontakt. Eg ser på fakturaen no. Kan du stadfeste kva "
                "e-postadresse abonnementet er registrert på, og gjerne sende eit skjermbilete "
                "av ordrestadfestinga? Då finn eg fort ut kva som har gått gale."
            ),
            follow_up=(
                "Abonnementet er registrert på denne adressa. Eg har lagt ved "
                "ordrestadfestinga. Treng de noko meir?"
            ),
            solve=(
                "Eg har sett på saka, og du har heilt rett – det vart fakturert feil. Eg har "
                "kreditert faktura {invoice} og sendt ein ny, korrigert faktura til deg. Den "
                "gamle kan du sjå bort frå. Orsak bryet!"
            ),
            note=(
                "Dobbel fakturering kjem av at abonnementet vart oppretta to gonger ved byte "
                "av betalingskort. Kreditnota sendt."
            ),
        ),
        "double_charge": Lines(
            subjects=("Trekt to gonger for ordre {order}", "Dobbelt trekk på kortet"),
            openings=(
                "Eg ser at eg er trekt {amount} to gonger på kortet for ordre {order}. Eg la "
                "berre inn éi bestilling. Kan de refundere det eine beløpet?",
                "Betalinga hengde seg då eg skulle betale, så eg prøvde på nytt. No er "
                "beløpet trekt to gonger frå kontoen min. Ordrenummeret er {order}.",
            ),
            ask=(
                "Så leitt å høyre! Eg finn berre éin betaling i systemet vårt enno. Kan du "
                "sende oss eit skjermbilete frå nettbanken som viser begge trekka, med dato og "
                "beløp?"
            ),
            follow_up=(
                "Her er skjermbiletet frå nettbanken. Begge trekka er datert same dag, med "
                "nokre minutt imellom."
            ),
            solve=(
                "Takk! Eg har stadfesta det doble trekket og sett i gang refusjon av "
                "{amount}. Pengane skal vere tilbake på kontoen din innan 3–5 vyrkedagar, "
                "avhengig av banken din."
            ),
            note=(
                "Betalingsleverandøren stadfestar to autorisasjonar på same ordre. Refusjon "
                "registrert manuelt."
            ),
        ),
        "cancel_subscription": Lines(
            subjects=("Seie opp abonnement", "Oppseiing av Vinterly Pluss"),
            openings=(
                "Eg ønskjer å seie opp Vinterly Pluss-abonnementet mitt frå neste månad. Kan "
                "de stadfeste oppseiinga og når det siste trekket blir?",
                "Vi flyttar utanlands og treng ikkje lenger abonnementet. Korleis seier eg det "
                "opp? Eg finn ingen knapp for det på Mi side.",
            ),
            ask=(
                "Så synd at du vil avslutte! Før eg seier opp: vil du heller setje "
                "abonnementet på pause i inntil tre månader? Sei frå om du framleis ønskjer å "
                "seie opp, så ordnar eg det."
            ),
            follow_up="Takk for tilbodet, men eg vil gjerne seie det opp heilt.",
            solve=(
                "Då er abonnementet ditt sagt opp. Du held på fordelane ut inneverande "
                "periode, og det blir ikkje fleire trekk etter dette. Du får ei stadfesting på "
                "e-post. Takk for at du har vore kunde hos oss!"
            ),
            note="Kunden fekk tilbod om pause, men ønskte oppseiing. Inga bindingstid att.",
        ),
        "delivery_late": Lines(
            subjects=("Kvar er pakken min? Ordre {order}", "Forseinka levering"),
            openings=(
                "Eg bestilte {product} for over ei veke sidan (ordre {order}), og sporinga har "
                "ikkje oppdatert seg på fire dagar. Når kan eg vente å få pakken?",
                "Pakken skulle vore levert i går, men han har ikkje kome. Eg treng han før "
                "helga. Kan de sjekke kva som skjer med ordre {order}?",
            ),
            ask=(
                "Orsak forseinkinga! Eg ser at pakken står registrert hos transportøren. Kan "
                "du stadfeste leveringsadressa, så eg kan sende ei etterlysing?"
            ),
            follow_up=(
                "Adressa er rett, og namnet mitt står på postkassa. Eg har ikkje fått nokon "
                "hentelapp."
            ),
            solve=(
                "Eg har vore i kontakt med transportøren. Pakken vart feilsortert på "
                "terminalen, men er no på veg og skal leverast i morgon. Som ei orsaking har "
                "eg refundert fraktkostnaden."
            ),
            note=(
                "Etterlysing sendt til transportøren, ref. ETL-{order}. Frakt refundert som "
                "kompensasjon."
            ),
        ),
        "return_product": Lines(
            subjects=("Retur av {product}", "Ønskjer å returnere ei vare"),
            openings=(
                "Eg vil gjerne returnere {product} frå ordre {order}. Produktet passa "
                "dessverre ikkje til det eg trong. Korleis går eg fram?",
                "Eg fekk {product} i gåve, men har ein frå før. Kan eg byte i noko anna, "
                "eller få tilgodelapp?",
            ),
            ask=(
                "Sjølvsagt! Vara kan returnerast innan 30 dagar. Er produktet uopna, og har du "
                "originalemballasjen? Då sender eg deg ein returetikett."
            ),
            follow_up="Ja, det er uopna og ligg i originalesken.",
            solve=(
                "Flott! Eg har sendt deg ein førehandsbetalt returetikett på e-post. Lever "
                "pakken på næraste postkontor eller pakkeautomat. Pengane blir refunderte "
                "innan fem vyrkedagar etter at vi har motteke returen."
            ),
            note="Retur godkjend, uopna vare. Returetikett laga.",
        ),
        "damaged_goods": Lines(
            subjects=("Vara kom i stykke", "Skadd pakke – ordre {order}"),
            openings=(
                "Då eg opna pakken i dag, var {product} knust. Esken var tydeleg skadd under "
                "transporten. Eg har teke bilete. Kva gjer eg no?",
                "{product} frå ordre {order} verkar ikkje. Det er ei sprekk i kabinettet, og "
                "det raslar inni. Eg vil gjerne ha ein ny.",
            ),
            ask=(
                "Det var verkeleg leitt! Kan du sende oss bilete av skaden og av emballasjen? "
                "Ta vare på esken til saka er avslutta."
            ),
            follow_up="Eg har lagt ved tre bilete av skaden og esken.",
            solve=(
                "Takk for bileta. Vi sender deg eit nytt eksemplar av {product} kostnadsfritt, "
                "og det er på veg i dag. Du treng ikkje returnere det øydelagde – det kan "
                "leverast til gjenvinning."
            ),
            note=(
                "Transportskade dokumentert med bilete. Reklamasjon meld til transportøren. "
                "Erstatning sendt frå lageret i Bergen."
            ),
        ),
        "change_address": Lines(
            subjects=("Endre leveringsadresse på ordre {order}", "Feil adresse på bestillinga"),
            openings=(
                "Eg oppdaga at eg har skrive feil adresse på ordre {order}. Rett adresse er "
                "Strandgaten 21, 5013 Bergen. Rekk de å endre ho før pakken blir send?",
                "Eg flyttar neste veke. Kan de endre leveringsadressa på bestillinga mi til "
                "Skulegata 3, 6800 Førde?",
            ),
            ask=(
                "Det skal vi få til! Kan du stadfeste postnummeret og om det er ei leilegheit "
                "med namnet ditt på ringeklokka?"
            ),
            follow_up="Postnummeret er rett, og namnet mitt står på ringeklokka.",
            solve=(
                "Leveringsadressa er no oppdatert, og pakken blir send til den nye adressa. Du "
                "får sporingsnummer på SMS når pakken er send."
            ),
            note="Adressa er endra i ordresystemet før plukk. Lageret er varsla.",
        ),
        "password_reset": Lines(
            subjects=("Får ikkje logga inn", "Tilbakestille passord"),
            openings=(
                "Eg har gløymt passordet mitt, og e-posten for å tilbakestille det kjem aldri "
                "fram. Eg har sjekka søppelposten òg.",
                "Kontoen min er låst etter for mange innloggingsforsøk. Korleis får eg tilgang "
                "att?",
            ),
            ask=(
                "Orsak bryet! Kva e-postadresse brukar du for å logge inn? Av og til er "
                "kontoen registrert på ei gammal adresse."
            ),
            follow_up="Det kan hende det er jobbadressa mi. Kan de sjekke den òg?",
            solve=(
                "Eg har låst opp kontoen din og sendt ei ny lenkje for å tilbakestille "
                "passordet. Lenkja er gyldig i éin time. Sei frå om ho ikkje dukkar opp i "
                "innboksen."
            ),
            note=(
                "Kontoen var låst etter 10 mislukka forsøk. Låst opp manuelt. E-posten vart "
                "stoppa av spamfilteret til kunden."
            ),
        ),
        "app_crash": Lines(
            subjects=("Appen krasjar ved oppstart", "Vinterly-appen lukkar seg heile tida"),
            openings=(
                "Etter siste oppdatering krasjar appen kvar gong eg opnar han. Eg har prøvd å "
                "starte telefonen på nytt og installere appen på nytt, utan hell. "
                "Appversjon {version}.",
                "Appen lukkar seg når eg prøver å sjå ordrehistorikken min. Det skjer kvar "
                "gong. Eg brukar ein iPhone 13 med siste iOS.",
            ),
            ask=(
                "Takk for at du melder frå! Kan du fortelje kva telefonmodell og "
                "operativsystemversjon du brukar, og omtrent når feilen starta?"
            ),
            follow_up=(
                "Eg brukar ein Samsung Galaxy S22 med Android 14. Det starta rett etter "
                "oppdateringa i førre veke."
            ),
            solve=(
                "Vi har funne feilen, og han er retta i appversjon {version_fix}, som no ligg "
                "i App Store og Google Play. Oppdater appen, så skal alt verke att. Takk for "
                "god hjelp med feilsøkinga!"
            ),
            note=(
                "Kjend feil i {version} på Android 14, spora i APP-{bug}. "
                "Rettinga kjem i {version_fix}."
            ),
        ),
        "business_account": Lines(
            subjects=("Bedriftsavtale for {org}", "Fleire brukarar på bedriftskontoen"),
            openings=(
                "Vi i {org} ønskjer å samle innkjøpa våre på éin bedriftskonto med faktura. Vi "
                "er rundt 40 tilsette. Kva kan de tilby?",
                "Vi treng å leggje til fem nye brukarar på bedriftskontoen vår og vil gjerne "
                "ha fakturaen som EHF. Korleis ordnar vi det?",
            ),
            ask=(
                "Så hyggeleg! For å setje opp avtalen treng eg organisasjonsnummer, "
                "fakturaadresse og ein kontaktperson for innkjøp. Kan du sende meg dette?"
            ),
            follow_up=(
                "Organisasjonsnummeret er 997 655 321, og fakturaen kan sendast som EHF. "
                "Kontaktpersonen er meg."
            ),
            solve=(
                "Då er bedriftskontoen sett opp med fakturering via EHF og 30 dagars "
                "betalingsfrist. De har fått ein eigen kontaktperson hos oss, og nye brukarar "
                "kan leggjast til under Bedrift på Mi side."
            ),
            note="Ny bedriftsavtale, standard B2B-rabatt 8 %. Kredittsjekk OK.",
        ),
    },
)
