"""Tokens computed once per text, and the documents both indexes are built from.

``TokenCache``: text -> (surface tokens, concepts), kept in memory and, when given a
directory, in a SQLite file there that every server process shares. Keys are a hash of the
text and of the tokenizer's inputs (lexicon, jieba version), so a changed entry, or a changed
synonym map, is simply a miss: a rebuild after one edit tokenises only that entry's changed
texts, in whichever process builds first.

``DocumentStore``: the catalog's documents for one catalog version, each a list of texts (its
parts), with their tokens from the cache. The catalog search index and the advisor's index are
both assembled from it, so no text is tokenised twice.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

import jieba

from . import lexicon
from .index import TextIndex
from .tokenizer import CONCEPT_PREFIX, analyse

logger = logging.getLogger(__name__)

# Bump when the tokenizer's code changes what it yields for the same text.
TOKENIZER_VERSION = 1
NAMESPACE = f"{TOKENIZER_VERSION}:{lexicon.DIGEST}:{getattr(jieba, '__version__', '')}"
SEPARATOR = "\x1f"
_CONCEPT_ORDER = {concept: i for i, concept in enumerate(lexicon.CONCEPTS)}

Analysed = tuple[tuple[str, ...], tuple[str, ...]]  # (surface tokens, concepts)


def text_key(text: str) -> str:
    return hashlib.blake2b(f"{NAMESPACE}\n{text}".encode(), digest_size=16).hexdigest()


class TokenCache:
    """Tokens by text hash: memory first, then the shared file, then the tokenizer."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self._memory: dict[str, Analysed] = {}
        self._lock = threading.Lock()
        self.hits = 0  # found in memory or in the file
        self.misses = 0  # tokenised
        self._path = None
        if directory:
            try:
                folder = Path(directory)
                folder.mkdir(parents=True, exist_ok=True)
                self._path = folder / "tokens.sqlite3"
                with self._connect() as db:
                    db.execute(
                        "CREATE TABLE IF NOT EXISTS tokens "
                        "(key TEXT PRIMARY KEY, surface TEXT NOT NULL, concepts TEXT NOT NULL)"
                    )
            except (OSError, sqlite3.Error) as error:  # a read-only disk: memory only
                logger.warning("Token cache file unavailable (%s); using memory only", error)
                self._path = None

    @property
    def path(self) -> Path | None:
        return self._path

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self._path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def analyse_many(self, texts: Iterable[str]) -> dict[str, Analysed]:
        """Every distinct text's tokens (key: the text's hash, see ``text_key``)."""
        wanted = {text_key(text): text for text in texts}
        found: dict[str, Analysed] = {}
        missing: list[str] = []
        with self._lock:
            for key in wanted:
                value = self._memory.get(key)
                if value is None:
                    missing.append(key)
                else:
                    found[key] = value
        if missing and self._path is not None:
            found.update(self._read(missing))
            missing = [key for key in missing if key not in found]
        made: dict[str, Analysed] = {key: analyse(wanted[key]) for key in missing}
        if made and self._path is not None:
            self._write(made)
        found.update(made)
        with self._lock:
            self._memory.update(found)
            self.hits += len(wanted) - len(made)
            self.misses += len(made)
        return found

    def retain(self, keys: Iterable[str]) -> None:
        """Forget from memory every text not in ``keys`` (the file keeps them)."""
        keep = set(keys)
        with self._lock:
            self._memory = {key: value for key, value in self._memory.items() if key in keep}

    def _read(self, keys: Sequence[str]) -> dict[str, Analysed]:
        result: dict[str, Analysed] = {}
        try:
            with self._connect() as db:
                for start in range(0, len(keys), 500):
                    chunk = keys[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = db.execute(
                        f"SELECT key, surface, concepts FROM tokens WHERE key IN ({marks})", chunk
                    )
                    for key, surface, concepts in rows:
                        result[key] = (
                            tuple(surface.split(SEPARATOR)) if surface else (),
                            tuple(concepts.split(SEPARATOR)) if concepts else (),
                        )
        except sqlite3.Error as error:
            logger.warning("Token cache read failed (%s); tokenising", error)
        return result

    def _write(self, made: dict[str, Analysed]) -> None:
        rows = [
            (key, SEPARATOR.join(surface), SEPARATOR.join(concepts))
            for key, (surface, concepts) in made.items()
        ]
        try:
            with self._connect() as db:
                db.execute("BEGIN")
                db.executemany("INSERT OR IGNORE INTO tokens VALUES (?, ?, ?)", rows)
                db.execute("COMMIT")
        except sqlite3.Error as error:
            logger.warning("Token cache write failed (%s); kept in memory", error)


def assemble(analysed: Iterable[Analysed], *, synonyms: bool = True) -> list[str]:
    """The tokens of texts joined by newlines (``tokenize`` of the joined text), from the
    tokens of each: surface tokens in order, then each concept once."""
    tokens: list[str] = []
    concepts: set[str] = set()
    for surface, found in analysed:
        tokens.extend(surface)
        concepts.update(found)
    if synonyms and concepts:
        ordered = sorted(concepts, key=lambda c: _CONCEPT_ORDER.get(c, len(_CONCEPT_ORDER)))
        tokens.extend(CONCEPT_PREFIX + concept for concept in ordered)
    return tokens


class DocumentStore:
    """The documents of one catalog version, tokenised once (through ``cache``)."""

    def __init__(
        self, documents: Sequence[tuple[str, Sequence[str]]], *, cache: TokenCache
    ) -> None:
        self.cache = cache
        self.keys: tuple[str, ...] = tuple(key for key, _ in documents)
        self._parts: dict[str, tuple[str, ...]] = {
            key: tuple(part for part in parts if part) for key, parts in documents
        }
        self._analysed = cache.analyse_many(
            part for parts in self._parts.values() for part in parts
        )
        self._indexes: dict[bool, TextIndex] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.keys)

    def parts(self, key: str) -> tuple[str, ...]:
        return self._parts.get(key, ())

    def analysed(self, texts: Iterable[str]) -> list[Analysed]:
        """Tokens of ``texts``: from this store when known, else through the cache."""
        texts = [text for text in texts if text]
        keys = [text_key(text) for text in texts]
        unknown = [text for text, key in zip(texts, keys, strict=True) if key not in self._analysed]
        extra = self.cache.analyse_many(unknown) if unknown else {}
        return [self._analysed.get(key) or extra[key] for key in keys]

    def tokens(self, texts: Iterable[str], *, synonyms: bool = True) -> list[str]:
        """The tokens of ``texts`` joined with newlines (as ``tokenize`` would give them)."""
        return assemble(self.analysed(texts), synonyms=synonyms)

    def index(self, *, synonyms: bool = True) -> TextIndex:
        """The TF-IDF index over every document (built once per store)."""
        with self._lock:
            index = self._indexes.get(synonyms)
            if index is None:
                index = TextIndex.from_tokens(
                    self.keys,
                    [self.tokens(self._parts[key], synonyms=synonyms) for key in self.keys],
                    synonyms=synonyms,
                )
                self._indexes[synonyms] = index
            return index

    def text_keys(self) -> set[str]:
        return set(self._analysed)


_shared_memory: DocumentStore | None = None


def shared_memory_store() -> DocumentStore:
    """An empty store over a process-wide in-memory cache: texts given to ``tokens`` are
    tokenised once per process (engines built without the catalog's store use it)."""
    global _shared_memory
    if _shared_memory is None:
        _shared_memory = DocumentStore((), cache=TokenCache())
    return _shared_memory
