"""Chinese in the index and in queries: words, one script, and pinyin.

A run of Chinese characters has no spaces, and both FTS5's unicode61 tokenizer and PostgreSQL's text-search
parser take the whole run for one word: 中华全国总工会 would be found only as the whole string. So:

- Words: jieba cuts each run into words (precise mode, without its HMM guessing of unknown words, so that a run
  is cut the same way in a long text and in a short query). The indexed copy of a text separates the words with
  a zero-width space, which both tokenizers take for a separator and a reader does not see; `shown()` takes the
  separators out of highlighted titles and snippets again.
- One script: traditional characters are folded to simplified (OpenCC t2s) in the index and in queries, so 廣州
  finds 广州 and 广州 finds 廣州; `shown()` puts the characters the text was written in back into what is shown.
- Hidden words: the shorter dictionary words inside a long word (最低工资 is also found by 工资, 广州市 by
  广州), and the toneless pinyin of Chinese titles and names, whole and by syllable ("guangzhou", "guang zhou"),
  are indexed in a column that is never shown.

The archive's own terms live in zh_words.txt beside this file (CONTRIBUTING.md says how to add one).
jieba's dictionary takes about a second to load: it is loaded once per process, the first time Chinese text is
read, and `warm_up()` loads it before a server forks its workers. Text without Chinese never loads it.
"""

import functools
import re
import threading
from pathlib import Path

from cases.core.text import MARK_END, MARK_START, WORD_SEPARATOR

SEPARATOR = WORD_SEPARATOR  # a zero-width space: a separator to FTS5 and to PostgreSQL, invisible on the page
ELLIPSIS = "…"
# The CJK unified ideographs (with extension A, the compatibility block and the supplementary planes).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
HAN = re.compile(f"[{_HAN}]")
HAN_RUN = re.compile(f"[{_HAN}]+")
DICTIONARY = Path(__file__).with_name("zh_words.txt")
# Only shorter words of this length or more are indexed inside a long word (one character would find too much).
SHORTEST_INNER = 2

_lock = threading.Lock()
_tools = {}


def has_chinese(text):
    return bool(text) and HAN.search(text) is not None


def _load():
    """jieba with the archive's words: built once per process."""
    if "cut" in _tools:
        return _tools
    with _lock:
        if "cut" in _tools:
            return _tools
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)  # it announces every load on stderr otherwise
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        for word, freq in read_dictionary():
            tokenizer.add_word(word, freq)
        _tools["freq"] = tokenizer.FREQ
        _tools["cut"] = lambda run: tokenizer.lcut(run, HMM=False)
    return _tools


def _converter():
    """OpenCC's t2s conversion (quick to load: showing a result needs it, and not jieba)."""
    if "convert" not in _tools:
        import opencc

        _tools["convert"] = opencc.OpenCC("t2s").convert
    return _tools["convert"]


def read_dictionary(path=DICTIONARY):
    """[(word, frequency)] from the archive's word list: `word` alone keeps it whole; `word 0` cuts it into the
    words it is made of (中华全国总工会 0: 中华 全国 总工会, so 总工会 alone finds it). Lines from # are notes."""
    words = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        word, _, freq = line.partition(" ")
        words.append((word, int(freq) if freq.strip() else None))
    return words


def warm_up():
    """Load the dictionaries now (a server calls this before forking its workers, which then share them)."""
    from pypinyin import lazy_pinyin

    _load()
    _converter()
    lazy_pinyin("广州")  # pypinyin reads its phrase dictionary on first use


def simplified(text):
    """The text with every run of Chinese characters in simplified characters (other text is left alone)."""
    if not has_chinese(text):
        return text
    convert = _converter()
    return HAN_RUN.sub(lambda run: convert(run.group()), text)


@functools.lru_cache(maxsize=20_000)
def words_of(run):
    """The words of a run of (simplified) Chinese characters. Remembered: an entry's texts are cut for the index
    and again for its hidden words, and names and phrases recur from entry to entry."""
    return tuple(word for word in _load()["cut"](run) if word.strip())


def indexed_text(text):
    """The copy of `text` the index reads, or None when it is the text itself (no Chinese in it)."""
    if not has_chinese(text):
        return None
    return HAN_RUN.sub(lambda run: SEPARATOR + SEPARATOR.join(words_of(run.group())) + SEPARATOR, simplified(text))


def query_words(word):
    """The words the index holds for one word a person typed: itself, or its Chinese cut into words."""
    if not has_chinese(word):
        return [word]
    folded, parts = _cut(word)
    return [folded[start:end] for start, end in parts]


def typed_words(word):
    """One typed word cut where the index cuts its Chinese, in the characters it was typed in (廣州工會: 廣州 工會)."""
    if not has_chinese(word):
        return [word]
    folded, parts = _cut(word)
    # Folding keeps lengths but for rare phrases; then the simplified words are all there is to give.
    source = word if len(folded) == len(word) else folded
    return [source[start:end] for start, end in parts]


def _cut(word):
    """The word in simplified characters, and the (start, end) of each of its parts: its Chinese words and the
    stretches of other characters between them."""
    folded = simplified(word)
    parts, position = [], 0
    for run in HAN_RUN.finditer(folded):
        if run.start() > position:
            parts.append((position, run.start()))
        start = run.start()
        for piece in words_of(run.group()):
            parts.append((start, start + len(piece)))
            start += len(piece)
        position = run.end()
    if position < len(folded):
        parts.append((position, len(folded)))
    return folded, parts


def inner_words(word):
    """The dictionary words inside a long word, as jieba's search mode finds them (最低工资: 最低, 工资)."""
    if len(word) <= SHORTEST_INNER:
        return []
    freq = _load()["freq"]
    inner = []
    for size in range(SHORTEST_INNER, len(word)):
        for start in range(len(word) - size + 1):
            part = word[start : start + size]
            if freq.get(part):
                inner.append(part)
    return inner


def hidden_words(named, texts):
    """The words an entry is found by without showing them: pinyin of `named` (its title and Chinese names), and
    the shorter words inside the long Chinese words of all its `texts`."""
    if not any(has_chinese(text) for text in [*named, *texts]):
        return ""
    from pypinyin import Style, lazy_pinyin

    syllables, words = [], []
    for text in named:
        for run in HAN_RUN.findall(simplified(text or "")):
            # Syllables in their order (a phrase "guang zhou" finds them); words and the words inside them whole.
            syllables.extend(lazy_pinyin(run, style=Style.NORMAL, errors="ignore"))
            for word in words_of(run):
                for part in [word, *inner_words(word)]:
                    if len(part) > 1:
                        words.append("".join(lazy_pinyin(part, style=Style.NORMAL, errors="ignore")))
    for text in texts:
        for run in HAN_RUN.findall(simplified(text or "")):
            for word in words_of(run):
                words.extend(inner_words(word))
    return " ".join([*syllables, *dict.fromkeys(words)])


def shown(marked, original):
    """A highlighted title or snippet of the indexed copy, as `original` was written: without the separators
    between words, and in the original's characters where they were folded (traditional ones).

    `marked` is a stretch of the indexed copy, or several joined by an ellipsis, with highlight markers in it.
    """
    if marked is None or SEPARATOR not in marked:
        return marked
    marked = marked.replace(SEPARATOR, "")
    folded = simplified(original or "")
    if folded == original or len(folded) != len(original):
        return marked  # nothing was folded; or the folding changed lengths, and simplified text is shown
    pieces = []
    position = 0
    for piece in marked.split(ELLIPSIS):
        core = piece.strip()
        plain = core.replace(MARK_START, "").replace(MARK_END, "")
        at = folded.find(plain, position) if plain else -1
        if at < 0:
            at = folded.find(plain) if plain else -1
        if at < 0:
            pieces.append(piece)
            continue
        restored, index = [], at
        for char in core:
            if char in (MARK_START, MARK_END):
                restored.append(char)
            else:
                restored.append(original[index])
                index += 1
        position = index
        lead = piece[: len(piece) - len(piece.lstrip())]
        trail = piece[len(piece.rstrip()) :]
        pieces.append(lead + "".join(restored) + trail)
    return ELLIPSIS.join(pieces)
