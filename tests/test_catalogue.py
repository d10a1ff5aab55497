"""The English catalogue covers every message of the UI (简体中文 is the source language)."""

from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parent.parent / "partsmall/locale/en/LC_MESSAGES/django.po"


def _translated(string: object) -> bool:
    if isinstance(string, str):
        return bool(string)
    return isinstance(string, tuple | list) and all(string)


def test_every_message_has_an_english_translation():
    with CATALOGUE.open("rb") as handle:
        catalog = read_po(handle)

    messages = [m for m in catalog if m.id]
    untranslated = [m.id for m in messages if not _translated(m.string)]
    fuzzy = [m.id for m in messages if m.fuzzy]

    assert len(messages) > 400
    assert untranslated == []
    assert fuzzy == []
