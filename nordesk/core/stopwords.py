"""The Snowball stop word lists (snowballstem.org, BSD licence; the lists PostgreSQL's
configurations use): words too common to say what a text is about. PostgreSQL drops them from
its documents; the SQLite side and the suggestions drop them from what a reader typed."""

_NORWEGIAN = """
alle at av bare begge ble blei bli blir blitt både båe da de deg dei deim deira deires dem
den denne der dere deres det dette di din disse ditt du dykk dykkar då eg ein eit eitt
eller elles en enn er et ett etter for fordi fra før ha hadde han hans har hennar henne
hennes her hjå ho hoe honom hoss hossen hun hva hvem hver hvilke hvilken hvis hvor hvordan
hvorfor i ikke ikkje ingen ingi inkje inn inni ja jeg kan kom korleis korso kun kunne kva
kvar kvarhelst kven kvi kvifor man mange me med medan meg meget mellom men mi min mine
mitt mot mykje ned no noe noen noka noko nokon nokor nokre nå når og også om opp oss over
på samme seg selv si sia sidan siden sin sine sitt sjøl skal skulle slik so som somme somt
så sånn til um upp ut uten var vart varte ved vere verte vi vil ville vore vors vort vår
være vært å
"""
_DANISH = """
ad af alle alt anden at blev blive bliver da de dem den denne der deres det dette dig din
disse dog du efter eller en end er et for fra ham han hans har havde have hende hendes her
hos hun hvad hvis hvor i ikke ind jeg jer jo kunne man mange med meget men mig min mine
mit mod ned noget nogle nu når og også om op os over på selv sig sin sine sit skal skulle
som sådan thi til ud under var vi vil ville vor være været
"""
_SWEDISH = """
alla allt att av blev bli blir blivit de dem den denna deras dess dessa det detta dig din
dina ditt du där då efter ej eller en er era ert ett från för ha hade han hans har henne
hennes hon honom hur här i icke ingen inom inte jag ju kan kunde man med mellan men mig
min mina mitt mot mycket ni nu när någon något några och om oss på samma sedan sig sin
sina sitta själv skulle som så sådan sådana sådant till under upp ut utan vad var vara
varför varit varje vars vart vem vi vid vilka vilkas vilken vilket vår våra vårt än är åt
över
"""
_ENGLISH = """
a about above after again against all am an and any are as at be because been before being
below between both but by can did do does doing don down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its
itself just me more most my myself no nor not now of off on once only or other our ours
ourselves out over own s same she should so some such t than that the their theirs them
themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with you your yours yourself yourselves
"""

STOP_WORDS = {
    "norwegian": frozenset(_NORWEGIAN.split()),
    "danish": frozenset(_DANISH.split()),
    "swedish": frozenset(_SWEDISH.split()),
    "english": frozenset(_ENGLISH.split()),
}
