"""Which of our languages a text is written in."""

import string
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

# py3langid says "no" for Norwegian Bokmål; Nynorsk is its own class.
_OURS = {"no": "nb", "nn": "nn", "da": "da", "sv": "sv", "en": "en"}
MIN_LETTERS = 12
MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 2000  # the opening of a long text says as much as all of it
LATIN_SHARE = 0.97
_LATIN = frozenset(string.ascii_letters + "æøåÆØÅäöÄÖéèüÜ")


@cache
def _identifier() -> LanguageIdentifier:
    """The model cut down to our five languages. The full model (140 languages) takes about
    100 MB in every process; only the columns we classify with are kept."""
    full = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    full.set_languages(list(_OURS))
    return LanguageIdentifier(
        full.nb_ptc.copy(),
        full.nb_pc.copy(),
        full.nb_classes,
        full.tk_nextmove,
        full.tk_output,
        norm_probs=True,
        tk_row=full.tk_row,
    )


def language_detect(text: str) -> str:
    """ "nb", "nn", "da", "sv" or "en"; "" when the text is too short or the guess is weak
    (the caller then falls back to what it knows of the customer)."""
    sample = text[:SAMPLE_CHARS]
    letters = [char for char in sample if char.isalpha()]
    if len(letters) < MIN_LETTERS:
        return ""
    # The model only knows our languages and would name one for any text: Japanese or
    # Vietnamese must come back as unknown, not as Nynorsk.
    if sum(char in _LATIN for char in letters) < LATIN_SHARE * len(letters):
        return ""
    language, confidence = _identifier().classify(sample)
    return _OURS[language] if confidence >= MIN_CONFIDENCE else ""
