"""Is a word an everyday English word? (pyspellchecker's English frequency list.)

A request word one edit from a word the library uses is read as a slip of it only when it is not
itself a real word: "moter" is a slip of "motor", but "toaster" is a toaster, not the German
"Taster" (push-button), and "reactor" is not "resistor". The list is loaded on first use.
"""

from __future__ import annotations

from functools import lru_cache

from spellchecker import SpellChecker


@lru_cache(maxsize=1)
def _words() -> SpellChecker:
    return SpellChecker(distance=1)


def is_english(word: str) -> bool:
    """Whether ``word`` (lower case) is in the English word list."""
    return word.isalpha() and word in _words()


def english_frequency(word: str) -> int:
    """How often ``word`` (lower case) occurs in the English list's corpus (0: not a word it knows)."""
    return int(_words().word_frequency[word]) if word.isalpha() else 0


def english_correction(word: str) -> str | None:
    """The English list's most likely one-edit correction of ``word`` (lower case), or None."""
    return _words().correction(word)
