import pytest

from nordesk.kb import typos

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("fakura", "faktura"),  # a letter missing
        ("fakttura", "faktura"),  # one too many
        ("faktira", "faktura"),  # one wrong
        ("fatkura", "faktura"),  # two swapped
    ],
)
def test_a_word_one_edit_away_is_offered(typed, meant):
    typos.words_learn(["faktura", "fakturaen", "levering"])
    assert meant in typos.alternatives([typed])[typed]


def test_known_words_numbers_and_short_words_get_no_alternatives():
    typos.words_learn(["faktura", "12345", "fakt"])
    assert typos.alternatives(["faktura", "12346", "fak"]) == {}


def test_two_edits_away_is_too_far():
    typos.words_learn(["faktura"])
    assert typos.alternatives(["fkatrua"]) == {}


def test_a_word_with_an_ending_no_article_has_is_read_as_its_beginning():
    typos.words_learn(["lösenord", "byt"])
    assert typos.alternatives(["lösenordet"]) == {"lösenordet": ("lösenord",)}
