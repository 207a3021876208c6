"""jieba's word frequencies as a memory-mapped trie, not a Python dict (no Django here).

jieba keeps its dictionary as a dict of ~500,000 words and word prefixes to frequencies: about
60 MB in every server process. ``FrequencyTrie`` answers the same questions (``in``, ``[]``,
``get``) from a MARISA trie and an array of frequencies, both files mapped from disk (3 MB,
shared by every process through the page cache). Tokens are the same as with jieba's dict.

The files are made once per dictionary (jieba's version and ``dict.txt``, and the domain
words added to it), in this user's folder under the temporary directory (``cachedir``), by a
child process (``python -m textindex.dictionary DIR WORDS_FILE``), so
no server process ever holds the dict; a process that cannot make or read them keeps jieba's
own dictionary.
"""

from __future__ import annotations

import array
import hashlib
import json
import logging
import mmap
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import jieba
import marisa_trie

from .cachedir import private_directory, run_module, write_atomically

logger = logging.getLogger(__name__)

FORMAT = 1
DOMAIN_WORD_FREQUENCY = 200000  # high enough that jieba keeps a domain word whole
BUILD_TIMEOUT = 300  # seconds


class FrequencyTrie(marisa_trie.Trie):
    """jieba's ``FREQ`` mapping over a trie: key -> its id -> its frequency (0: a prefix)."""

    _frequencies: Sequence[int] = ()

    def attach(self, frequencies: Sequence[int]) -> FrequencyTrie:
        self._frequencies = frequencies
        return self

    def __getitem__(self, key: str) -> int:
        return self._frequencies[self.key_id(key)]

    def get(self, key: str, default: int | None = None) -> int | None:
        found = marisa_trie.Trie.get(self, key)
        return default if found is None else self._frequencies[found]

    def __setitem__(self, key: str, value: int) -> None:
        raise TypeError("The compact dictionary is read-only: add words before it is made.")


def _jieba_dictionary_bytes() -> bytes:
    with jieba.dt.get_dict_file() as handle:
        return handle.read()


def fingerprint(domain_words: Sequence[str]) -> str:
    """What the files are made from: a new jieba, dictionary or domain word makes new ones."""
    digest = hashlib.blake2b(digest_size=12)
    version = getattr(jieba, "__version__", "")
    digest.update(f"{FORMAT}:{version}:{DOMAIN_WORD_FREQUENCY}\n".encode())
    digest.update(_jieba_dictionary_bytes())
    digest.update("\n".join(sorted(set(domain_words))).encode())
    return digest.hexdigest()


def paths(directory: Path, key: str) -> tuple[Path, Path]:
    """The trie and the frequencies (a uint64 total, then one uint32 per trie key)."""
    return directory / f"jieba-{key}.marisa", directory / f"jieba-{key}.freq"


def build(directory: Path, domain_words: Sequence[str]) -> tuple[Path, Path]:
    """Make the files from jieba's dictionary plus ``domain_words`` (this process loads the
    dict: run it in a child process, see ``ensure_files``). Written atomically."""
    jieba.initialize()
    for word in domain_words:
        jieba.add_word(word, freq=DOMAIN_WORD_FREQUENCY)
    table = jieba.dt.FREQ
    trie = marisa_trie.Trie(table.keys())
    frequencies = array.array("I", bytes(4 * len(trie)))
    for word, frequency in table.items():
        frequencies[trie.key_id(word)] = frequency
    totals = array.array("Q", [jieba.dt.total])
    directory.mkdir(parents=True, exist_ok=True)
    trie_path, freq_path = paths(directory, fingerprint(domain_words))
    write_atomically(trie_path, trie.save)
    write_atomically(
        freq_path, lambda name: Path(name).write_bytes(totals.tobytes() + frequencies.tobytes())
    )
    return trie_path, freq_path


def ensure_files(directory: Path, domain_words: Sequence[str]) -> tuple[Path, Path]:
    """The files for this dictionary, made by a child process when missing."""
    trie_path, freq_path = paths(directory, fingerprint(domain_words))
    if not (trie_path.exists() and freq_path.exists()):
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".json") as words:
            json.dump(list(domain_words), words, ensure_ascii=False)
            words.flush()
            run_module("textindex.dictionary", str(directory), words.name, timeout=BUILD_TIMEOUT)
    return trie_path, freq_path


def load(trie_path: Path, freq_path: Path) -> tuple[FrequencyTrie, int]:
    """The trie and jieba's total frequency, both mapped from the files."""
    trie = FrequencyTrie()
    trie.mmap(str(trie_path))
    with open(freq_path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size != 8 + 4 * len(trie):
            raise ValueError(f"{freq_path} does not match {trie_path}")
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    view = memoryview(mapped)
    total = int(view[:8].cast("Q")[0])
    frequencies = view[8:].cast("I")
    return trie.attach(frequencies), total


def install(directory: Callable[[], Path], domain_words: Sequence[str]) -> bool:
    """Give jieba's default tokenizer the compact dictionary (with the domain words in it),
    its files in ``directory()``. False (jieba's own dictionary is then loaded as usual) when
    the folder or the files cannot be made or read."""
    try:
        trie, total = load(*ensure_files(directory(), domain_words))
    except subprocess.CalledProcessError as error:
        reason = (error.stderr or b"").decode(errors="replace").strip().splitlines()[-1:]
        logger.warning("Compact jieba dictionary not made (%s); using jieba's own", reason)
        return False
    except (OSError, ValueError, TypeError, RuntimeError, subprocess.SubprocessError) as error:
        logger.warning("Compact jieba dictionary unavailable (%s); using jieba's own", error)
        return False
    tokenizer = jieba.dt
    with tokenizer.lock:
        tokenizer.FREQ = trie
        tokenizer.total = total
        tokenizer.initialized = True
    return True


def default_directory() -> Path:
    """This user's folder under the temporary directory (``cachedir``), beside jieba's own
    cache."""
    return private_directory("aliadvisor-jieba")


if __name__ == "__main__":  # python -m textindex.dictionary DIR WORDS_FILE
    jieba.setLogLevel(logging.WARNING)
    build(Path(sys.argv[1]), json.loads(Path(sys.argv[2]).read_text(encoding="utf-8")))
