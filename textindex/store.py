"""Tokens computed once per text, and the documents both indexes are built from.

``TokenCache``: text -> (surface tokens, concepts), kept in a SQLite file that every server
process shares when given a directory, else in memory. It also keeps, in memory, the
documents assembled from them. Keys are a hash of the
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
from dataclasses import dataclass
from pathlib import Path

import jieba
import numpy as np

from . import lexicon
from .corpus import Corpus, bag, merged, tokens_of
from .index import TextIndex
from .tokenizer import CONCEPT_PREFIX, analyse, terms_of

logger = logging.getLogger(__name__)

# Bump when the tokenizer's code changes what it yields for the same text.
TOKENIZER_VERSION = 1
NAMESPACE = f"{TOKENIZER_VERSION}:{lexicon.DIGEST}:{getattr(jieba, '__version__', '')}"
SEPARATOR = "\x1f"
_CONCEPT_ORDER = {concept: i for i, concept in enumerate(lexicon.CONCEPTS)}

Analysed = tuple[tuple[str, ...], tuple[str, ...]]  # (surface tokens, concepts)
DocumentKey = tuple[bool, tuple[str, ...]]  # (synonyms, the document's non-empty texts)
Assembled = tuple[np.ndarray, frozenset[str]]  # a document's bag and its concept tokens


@dataclass(frozen=True, slots=True)
class Tokens:
    """One text's tokens as kept in memory: the bag of its surface tokens' index terms
    (``corpus.bag`` of ``tokenizer.terms_of``: English words by their stem) and the concepts
    it mentions (in the lexicon's order). The cache file keeps the surface tokens."""

    surface: np.ndarray
    concepts: tuple[str, ...]

    @classmethod
    def of(cls, analysed: Analysed) -> Tokens:
        surface, concepts = analysed
        return cls(
            bag(terms_of(surface, remember=True)),
            tuple(_CONCEPT_NAMES.get(c, c) for c in concepts),
        )


_CONCEPT_NAMES = {concept: concept for concept in lexicon.CONCEPTS}
_CONCEPT_TOKENS = {concept: CONCEPT_PREFIX + concept for concept in lexicon.CONCEPTS}


def text_key(text: str) -> str:
    return hashlib.blake2b(f"{NAMESPACE}\n{text}".encode(), digest_size=16).hexdigest()


class TokenCache:
    """Tokens by text: the shared file (by the text's hash) or, without one, memory; then the
    tokenizer."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self._memory: dict[str, Tokens] = {}
        self._used: set[str] = set()  # texts asked for since the last ``retain``
        # Documents (their texts, synonyms or not) -> their bag and concept tokens.
        self._documents: dict[DocumentKey, Assembled] = {}
        self._documents_used: set[DocumentKey] = set()
        self._lock = threading.Lock()
        self.hits = 0  # found in memory or in the file
        self.misses = 0  # tokenised
        self._path = None
        if directory:
            try:
                folder = Path(directory)
                folder.mkdir(parents=True, exist_ok=True)
                self._path = folder / "tokens.sqlite3"
                self._connect().close()
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
        # Each time: a file deleted while the server runs comes back empty, not broken.
        db.execute(
            "CREATE TABLE IF NOT EXISTS tokens "
            "(key TEXT PRIMARY KEY, surface TEXT NOT NULL, concepts TEXT NOT NULL)"
        )
        return db

    def analyse_many(self, texts: Iterable[str]) -> dict[str, Tokens]:
        """Every distinct non-empty text's tokens, by text."""
        found: dict[str, Tokens] = {}
        missing: dict[str, None] = {}
        with self._lock:
            memory = self._memory
            for text in texts:
                if text and text not in found:
                    value = memory.get(text)
                    if value is None:
                        missing[text] = None
                    else:
                        found[text] = value
            self._used.update(found)
        keys = {text_key(text): text for text in missing}
        read: dict[str, Tokens] = self._read(list(keys)) if keys and self._path else {}
        made: dict[str, Analysed] = {
            key: analyse(text) for key, text in keys.items() if key not in read
        }
        written = bool(made) and self._path is not None and self._write(made)
        fresh = {keys[key]: value for key, value in read.items()}
        fresh.update((keys[key], Tokens.of(value)) for key, value in made.items())
        found.update(fresh)
        with self._lock:
            if self._path is None:  # with a file, memory would only hold a second copy
                self._memory.update(fresh)
            elif made and not written:  # the file failed: memory keeps what it could not
                self._memory.update((keys[key], fresh[keys[key]]) for key in made)
            self._used.update(fresh)
            self.hits += len(found) - len(made)
            self.misses += len(made)
        return found

    def retain(self, texts: Iterable[str]) -> None:
        """Forget the documents not asked for since the last call and, in memory only, every
        text neither in ``texts`` nor asked for since then. (With a file, texts' tokens are
        not kept in memory: the file has them, and the documents assembled from them stay, so
        a rebuild reads only an edited document's texts.)"""
        with self._lock:
            if self._memory:  # memory only, or what a failing file could not take
                keep = self._used | set(texts)
                self._memory = {t: value for t, value in self._memory.items() if t in keep}
            self._used = set()
            used = self._documents_used
            self._documents = {k: v for k, v in self._documents.items() if k in used}
            self._documents_used = set()

    def documents(self, keys: Sequence[DocumentKey]) -> list[Assembled | None]:
        """The bags of documents already assembled (None for the others)."""
        with self._lock:
            self._documents_used.update(keys)
            return [self._documents.get(key) for key in keys]

    def remember_documents(self, made: dict[DocumentKey, Assembled]) -> None:
        with self._lock:
            self._documents.update(made)
            self._documents_used.update(made)

    def _read(self, keys: Sequence[str]) -> dict[str, Tokens]:
        result: dict[str, Tokens] = {}
        try:
            with self._connect() as db:
                for start in range(0, len(keys), 500):
                    chunk = keys[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    rows = db.execute(
                        f"SELECT key, surface, concepts FROM tokens WHERE key IN ({marks})", chunk
                    )
                    for key, surface, concepts in rows:
                        result[key] = Tokens.of((
                            surface.split(SEPARATOR) if surface else (),
                            concepts.split(SEPARATOR) if concepts else (),
                        ))
        except sqlite3.Error as error:
            logger.warning("Token cache read failed (%s); tokenising", error)
        return result

    def _write(self, made: dict[str, Analysed]) -> bool:
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
            return False
        return True


def _ordered(concepts: Iterable[str]) -> list[str]:
    return sorted(concepts, key=lambda c: _CONCEPT_ORDER.get(c, len(_CONCEPT_ORDER)))


def assemble(analysed: Iterable[Tokens], *, synonyms: bool = True) -> list[str]:
    """The tokens of texts joined by newlines (``tokenize`` of the joined text, surface tokens
    grouped by text and by token), then each concept once."""
    tokens: list[str] = []
    concepts: set[str] = set()
    for found in analysed:
        tokens.extend(tokens_of(found.surface))
        concepts.update(found.concepts)
    if synonyms and concepts:
        tokens.extend(CONCEPT_PREFIX + concept for concept in _ordered(concepts))
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
        self._indexes: dict[bool, TextIndex] = {}
        self._concept_bags: dict[frozenset[str], np.ndarray] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.keys)

    def parts(self, key: str) -> tuple[str, ...]:
        return self._parts.get(key, ())

    def analysed(self, texts: Iterable[str]) -> list[Tokens]:
        """Tokens of the non-empty ``texts``: from this store when known, else through the
        cache."""
        texts = [text for text in texts if text]
        found = self.cache.analyse_many(texts)
        return [found[text] for text in texts]

    def tokens(self, texts: Iterable[str], *, synonyms: bool = True) -> list[str]:
        """The tokens of ``texts`` joined with newlines (as ``tokenize`` would give them, the
        surface tokens grouped)."""
        return assemble(self.analysed(texts), synonyms=synonyms)

    def corpus(self, documents: Sequence[Sequence[str]], *, synonyms: bool = True) -> Corpus:
        """The documents (each a list of texts) as counts: what ``TextIndex.from_tokens`` would
        count of ``tokens(texts)`` for each, without a list of every token. A document seen in
        the previous catalog version (the same texts) is not assembled again."""
        keys = [(synonyms, tuple(text for text in texts if text)) for texts in documents]
        found = self.cache.documents(keys)
        missing = {key: None for key, done in zip(keys, found, strict=True) if done is None}
        if missing:
            analysed = self.cache.analyse_many(text for _, texts in missing for text in texts)
            made = {}
            for key in missing:
                tokens = [analysed[text] for text in key[1]]
                parts = [t.surface for t in tokens]
                mentioned: frozenset[str] = frozenset()
                if synonyms:
                    mentioned = frozenset(c for t in tokens for c in t.concepts)
                    if mentioned:
                        parts.append(self._concept_bag(mentioned))
                made[key] = (merged(parts), frozenset(_CONCEPT_TOKENS.get(c, c) for c in mentioned))
            self.cache.remember_documents(made)
            found = [done or made[key] for key, done in zip(keys, found, strict=True)]
        return Corpus.from_bags(
            [(bag_,) for bag_, _ in found],
            concepts=[concepts for _, concepts in found],
            distinct=True,
        )

    def _concept_bag(self, concepts: frozenset[str]) -> np.ndarray:
        found = self._concept_bags.get(concepts)
        if found is None:
            found = self._concept_bags[concepts] = bag(
                CONCEPT_PREFIX + c for c in _ordered(concepts)
            )
        return found

    def index(self, *, synonyms: bool = True) -> TextIndex:
        """The TF-IDF index over every document (built once per store)."""
        with self._lock:
            index = self._indexes.get(synonyms)
            if index is None:
                index = TextIndex.from_corpus(
                    self.keys,
                    self.corpus([self._parts[key] for key in self.keys], synonyms=synonyms),
                    synonyms=synonyms,
                )
                self._indexes[synonyms] = index
            return index

    def index_for(
        self,
        keys: Sequence[str],
        documents: Sequence[Sequence[str]],
        *,
        corpus: Corpus,
        synonyms: bool = True,
    ) -> TextIndex:
        """The index over ``documents`` (by ``keys``, their ``corpus``): this store's own when
        they are its documents in its order, else one built from ``corpus``."""
        if tuple(keys) == self.keys and all(
            tuple(document) == self._parts[key]
            for key, document in zip(keys, documents, strict=True)
        ):
            return self.index(synonyms=synonyms)
        return TextIndex.from_corpus(keys, corpus, synonyms=synonyms)

    def texts(self) -> set[str]:
        """Every text of this store's documents."""
        return {part for parts in self._parts.values() for part in parts}

    def text_keys(self) -> set[str]:
        """``texts`` by their hashes (``text_key``)."""
        return {text_key(text) for text in self.texts()}


_shared_memory: DocumentStore | None = None


def shared_memory_store() -> DocumentStore:
    """An empty store over a process-wide in-memory cache: texts given to ``tokens`` are
    tokenised once per process (engines built without the catalog's store use it)."""
    global _shared_memory
    if _shared_memory is None:
        _shared_memory = DocumentStore((), cache=TokenCache())
    return _shared_memory
