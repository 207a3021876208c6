"""jieba's dictionary as a memory-mapped trie: the same tokens as jieba's own dict."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import jieba
import pytest

from textindex import dictionary
from textindex.cachedir import private_directory
from textindex.lexicon import DOMAIN_WORDS
from textindex.tokenizer import load_dictionary

ROOT = Path(__file__).resolve().parent.parent
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _catalog_and_case_texts() -> list[str]:
    texts: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            texts.extend(_CJK_RUN.findall(value))
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for path in [
        *sorted((ROOT / "fixtures").glob("*.json")),
        ROOT / "advisor" / "evaluation" / "real_cases.json",
        ROOT / "advisor" / "evaluation" / "cases.json",
    ]:
        walk(json.loads(path.read_text(encoding="utf-8")))
    # Characters no dictionary word holds (a typo's) and unknown words (the HMM's).
    texts += ["联帮学习", "数椐清晰", "图数剧库", "喵呜咪嗷"]
    return sorted(set(texts))


@pytest.fixture(scope="module")
def plain() -> jieba.Tokenizer:
    """jieba's own dictionary in a dict, with the same domain words."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    for word in DOMAIN_WORDS:
        tokenizer.add_word(word, freq=dictionary.DOMAIN_WORD_FREQUENCY)
    return tokenizer


def test_the_default_tokenizer_reads_the_compact_dictionary():
    load_dictionary()
    assert isinstance(jieba.dt.FREQ, dictionary.FrequencyTrie)


def test_every_catalog_and_case_text_is_cut_as_with_jiebas_own_dictionary(plain):
    load_dictionary()
    assert isinstance(jieba.dt.FREQ, dictionary.FrequencyTrie)  # not the dict against itself
    texts = _catalog_and_case_texts()
    assert len(texts) > 2000
    assert jieba.dt.total == plain.total
    for text in texts:
        assert list(jieba.dt.cut(text, HMM=True)) == list(plain.cut(text, HMM=True)), text
        assert list(jieba.dt.cut_for_search(text)) == list(plain.cut_for_search(text)), text
        assert list(jieba.dt.tokenize(text, HMM=False)) == list(
            plain.tokenize(text, HMM=False)
        ), text


def test_frequencies_and_prefixes_read_as_from_the_dict(plain):
    load_dictionary()
    for word in ["数据库", "图数据库", "推荐", "数", "喵呜咪嗷", *DOMAIN_WORDS[:50]]:
        assert jieba.dt.FREQ.get(word) == plain.FREQ.get(word)
        assert (word in jieba.dt.FREQ) == (word in plain.FREQ)
    assert jieba.dt.FREQ["数据"] == plain.FREQ["数据"]
    assert jieba.dt.FREQ.get("喵呜咪嗷", 7) == 7
    with pytest.raises(TypeError, match="read-only"):
        jieba.dt.FREQ["新词"] = 1


def test_the_files_are_made_once_per_dictionary(tmp_path):
    first = dictionary.ensure_files(tmp_path, ["领域词甲"])
    stamps = [path.stat().st_mtime_ns for path in first]
    assert dictionary.ensure_files(tmp_path, ["领域词甲"]) == first
    assert [path.stat().st_mtime_ns for path in first] == stamps
    other = dictionary.ensure_files(tmp_path, ["领域词甲", "领域词乙"])
    assert other != first and all(path.exists() for path in other)
    trie, total = dictionary.load(*other)
    assert trie.get("领域词乙") == dictionary.DOMAIN_WORD_FREQUENCY
    assert "领域词" in trie and trie["领域词"] == 0  # a prefix, as jieba keeps them
    assert total > dictionary.DOMAIN_WORD_FREQUENCY * 2
    assert not list(tmp_path.glob("*.tmp"))


def test_without_a_usable_folder_jieba_keeps_its_own_dictionary(tmp_path, caplog):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    before = jieba.dt.FREQ
    with caplog.at_level(logging.WARNING, logger="textindex.dictionary"):
        assert dictionary.install(lambda: blocker / "sub", DOMAIN_WORDS) is False
    assert "using jieba's own" in caplog.text
    assert jieba.dt.FREQ is before


@pytest.mark.parametrize("cut", [4, 2, 10**7])
def test_mismatched_files_are_refused(tmp_path, cut):
    trie_path, freq_path = dictionary.ensure_files(tmp_path, ["领域词甲"])
    freq_path.write_bytes(freq_path.read_bytes()[:-cut])
    with pytest.raises(ValueError, match="does not match"):
        dictionary.load(trie_path, freq_path)


def test_the_folder_is_this_users_and_private(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    folder = private_directory("aliadvisor-test")
    assert folder.parent == tmp_path and folder.is_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    folder.chmod(0o777)  # another user could plant files here
    with pytest.raises(PermissionError):
        private_directory("aliadvisor-test")
    (tmp_path / f"aliadvisor-file-{os.getuid()}").write_text("x")
    with pytest.raises(OSError):
        private_directory("aliadvisor-file")


def test_a_process_without_the_folder_cuts_with_jiebas_own_dictionary(tmp_path):
    """In a new process whose folder cannot be made: jieba's dict, the same tokens."""
    (tmp_path / f"aliadvisor-jieba-{os.getuid()}").write_text("not a folder")
    script = (
        "import jieba; from textindex import tokenizer; "
        "print(type(jieba.dt.FREQ).__name__, tokenizer.surface_tokens('图数据库和推荐系统'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "TMPDIR": str(tmp_path)}, check=True,
    )
    name, tokens = done.stdout.split(" ", 1)
    assert name == "dict"
    load_dictionary()
    from textindex.tokenizer import surface_tokens

    assert tokens.strip() == str(surface_tokens("图数据库和推荐系统"))
