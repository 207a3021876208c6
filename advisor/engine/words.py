"""A general English dictionary for typo correction: pyspellchecker's words (pure, no Django).

A word in it is never "corrected", so plain English the catalog does not use stays as typed.
Loading pyspellchecker's word list builds a dict of 160,000 words; freed, it leaves ~10 MB of
fragments in the process, so a child process (``python -m advisor.engine.words FILE``) writes
the sorted words once per pyspellchecker version to a file in this user's folder under the
temporary directory (``textindex.cachedir``), and a
server process reads that file into one string (``WordList``). A process that cannot use the
file loads the words itself.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from textindex.cachedir import private_directory, run_module, write_atomically

logger = logging.getLogger(__name__)

FORMAT = 1
MAKE_TIMEOUT = 120  # seconds


class WordList:
    """A large set of words kept as one sorted string: about 2 MB for pyspellchecker's 160,000
    English words, where a frozenset of them takes about 20 MB (an object and a slot per word).
    A word is looked up in its block of ``BLOCK`` words: a binary search over the blocks'
    first words, then one substring search."""

    BLOCK = 256

    def __init__(self, words: Iterable[str]) -> None:
        ordered = sorted({w for w in words if w and "\n" not in w})
        self._setup("\n" + "\n".join(ordered) + "\n")

    @classmethod
    def from_text(cls, text: str) -> WordList:
        """From ``text`` as ``as_text`` gives it (sorted words between newlines), read in
        place: no list of 160,000 words is made."""
        words = cls.__new__(cls)
        words._setup(text)
        return words

    def _setup(self, text: str) -> None:
        if text == "\n\n":
            text = "\n"
        if not (text.startswith("\n") and text.endswith("\n")):
            raise ValueError("not a word list")
        firsts: list[str] = []
        starts: list[int] = []  # where each block starts: the newline before its first word
        position, count, previous = 0, 0, ""
        while (following := text.find("\n", position + 1)) >= 0:
            word = text[position + 1 : following]
            if not word or (count and word <= previous):
                raise ValueError("not a sorted word list")
            if count % self.BLOCK == 0:
                starts.append(position)
                firsts.append(word)
            previous, position, count = word, following, count + 1
        starts.append(position)
        self._text = text
        self._firsts = tuple(firsts)
        self._starts = tuple(starts)
        self._count = count

    def as_text(self) -> str:
        return self._text

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        block = bisect_right(self._firsts, word) - 1
        if block < 0:
            return False
        start, end = self._starts[block], self._starts[block + 1] + 1
        return self._text.find(f"\n{word}\n", start, end) >= 0

    def __iter__(self) -> Iterator[str]:
        return iter(self._text[1:-1].split("\n") if self._count else ())

    def __len__(self) -> int:
        return self._count


def library_words() -> WordList:
    """pyspellchecker's English words, loaded in this process."""
    from spellchecker import SpellChecker

    return WordList(SpellChecker(language="en", distance=1).word_frequency.keys())


def words_file() -> Path:
    try:
        library = version("pyspellchecker")
    except PackageNotFoundError:
        library = "unknown"
    name = f"english-{FORMAT}-pyspellchecker-{library}.txt"
    return private_directory("aliadvisor-words") / name


def write_words_file(path: Path) -> None:
    """Write ``library_words`` to ``path`` atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = library_words().as_text()
    write_atomically(path, lambda name: Path(name).write_text(text, encoding="utf-8", newline=""))


def _words_from_file(path: Path) -> WordList:
    if not path.exists():
        run_module("advisor.engine.words", str(path), timeout=MAKE_TIMEOUT)
    return WordList.from_text(path.read_text(encoding="utf-8"))


@cache
def english_words() -> WordList:
    """The dictionary, loaded once per process (from the file, or else here)."""
    try:
        return _words_from_file(words_file())
    except (OSError, ValueError, UnicodeError, subprocess.SubprocessError) as error:
        logger.warning("English word file unavailable (%s); loading the words here", error)
        return library_words()


if __name__ == "__main__":  # python -m advisor.engine.words FILE
    write_words_file(Path(sys.argv[1]))
