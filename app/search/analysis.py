"""Chinese text analysis shared by indexing, querying and highlighting.

Text is normalised character by character (NFKC, lower case) so that offsets in the normalised
text are offsets in the original, then segmented with jieba in search mode (overlapping
sub-words: 预测性维护 also gives 预测, 维护), plus every domain term found in the text (the user
dictionary's and the synonyms' Chinese terms), every ASCII run ("mes", "5g") and every
code-like run ("qd-2022-0001") as tokens of their own. Punctuation and whitespace are dropped.

Token positions are character offsets, not token ordinals: with overlapping tokens that is the
only numbering under which "piece B starts right where piece A ends" can be checked, which is
how a query word that the document segmented differently is still matched exactly
(see `app.search.query`).

The index pickles `ChineseTokenizer` by its import path: keep the class here, under this name.
jieba is process-global state: the user dictionary is loaded once per process, on first use,
and jieba's dictionary cache goes to a path the application chooses (`configure_segmenter`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

from whoosh.analysis import Token, Tokenizer

log = logging.getLogger("gongfu.search")

#: Bump when the tokenizer's output changes for the same input: every index is then rebuilt.
ANALYSIS_VERSION = 1
#: jieba frequency given to user-dictionary terms without one: high enough that they win.
USER_WORD_FREQ = 200_000

_ASCII_RUN = re.compile(r"[a-z0-9]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_SPACE = re.compile(r"\s")
_CODE = re.compile(r"[a-z0-9]+(?:[-_./][a-z0-9]+)+")


def normalize(text: str) -> str:
    """NFKC and lower case, one character at a time so that the length (and every offset)
    is kept: full-width "ＭＥＳ" becomes "mes", "５Ｇ" becomes "5g"."""  # noqa: RUF002
    folded = _folded.get
    return "".join([folded(char) or _fold(char) for char in text])


_folded: dict[str, str] = {}  # character → what `normalize` makes of it, for every character seen


def _fold(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char).lower()
    _folded[char] = result = folded if len(folded) == 1 else char
    return result


def is_searchable(word: str) -> bool:
    """Whether a token carries text (any letter, digit or CJK character) rather than punctuation."""
    return any(char.isalnum() for char in word)


# --- the segmenter -------------------------------------------------------------------------


@dataclass
class _SegmenterState:
    lock: threading.Lock = field(default_factory=threading.Lock)
    cache_file: str | None = None
    user_dictionaries: dict[str, str] = field(default_factory=dict)  # path → content, as configured
    extra_words: set[str] = field(default_factory=set)
    loaded: set[str] = field(default_factory=set)  # digests of dictionaries and words already added
    terms: set[str] = field(default_factory=set)  # the domain terms: user dictionary and extra words
    terms_pattern: re.Pattern | None = None
    ready: bool = False


_state = _SegmenterState()


def configure_segmenter(
    cache_file: str | Path | None = None, user_dictionary: str | Path | None = None, extra_words: Iterable[str] = ()
) -> None:
    """Say where jieba caches its dictionary, which user dictionary to load, and which other
    words to keep whole (the synonyms' Chinese terms, so that they match as tokens).

    Takes effect on first use; what is configured after that is added at once (jieba cannot
    unload words, so a process keeps every word it has been given).
    """
    with _state.lock:
        if cache_file and not _state.ready:
            _state.cache_file = str(cache_file)
        if user_dictionary:
            _state.user_dictionaries[str(user_dictionary)] = Path(user_dictionary).read_text(encoding="utf-8")
        _state.extra_words.update(w for w in extra_words if len(w) > 1 and _CJK.search(w) and not _SPACE.search(w))
        if _state.ready:
            _load_user_dictionaries()


def warm_up() -> None:
    """Load jieba's dictionary now (0.6-2 s), not on first use: never while holding a lock."""
    _jieba()


def _jieba():
    """jieba, initialised with the user dictionaries (once per process)."""
    import jieba

    if _state.ready:
        return jieba
    with _state.lock:
        if not _state.ready:
            jieba.setLogLevel(logging.WARNING)
            if not _state.cache_file:  # used before any engine configured it (a script, a unit test)
                from config import INSTANCE_DIR

                _state.cache_file = str(INSTANCE_DIR / "jieba.cache")
            Path(_state.cache_file).parent.mkdir(parents=True, exist_ok=True)
            jieba.dt.cache_file = _state.cache_file
            jieba.initialize()
            _load_user_dictionaries()
            _state.ready = True
    return jieba


def _load_user_dictionaries() -> None:
    import jieba

    _memo.clear()  # tokens segmented under the words known before

    for path, text in _state.user_dictionaries.items():
        digest = hashlib.sha256(text.encode()).hexdigest()
        if digest in _state.loaded:
            continue
        for word, freq in parse_user_dictionary(text):
            jieba.add_word(word, freq=freq)
            _state.terms.add(word)
        _state.loaded.add(digest)
        log.info("search: loaded user dictionary %s", path)
    for word in sorted(_state.extra_words):
        if word not in _state.loaded:
            if not jieba.dt.FREQ.get(word):
                jieba.add_word(word, freq=USER_WORD_FREQ)
            _state.terms.add(word)
            _state.loaded.add(word)
    if _state.terms:
        # A lookahead finds overlapping terms too: 机器视觉 and 视觉检测 in 机器视觉检测.
        alternatives = "|".join(re.escape(t) for t in sorted(_state.terms, key=len, reverse=True))
        _state.terms_pattern = re.compile(f"(?=({alternatives}))")


def parse_user_dictionary(text: str) -> list[tuple[str, int]]:
    """Lines of `term [frequency]`; # starts a comment. Terms are normalised like the text."""
    words = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else USER_WORD_FREQ
        words.append((normalize(parts[0]), freq))
    return words


def in_dictionary(word: str) -> bool:
    """Whether jieba knows the (normalised) word, from its dictionary or the user dictionary."""
    return _jieba().dt.FREQ.get(word, 0) > 0


def segment(text: str) -> list[tuple[str, int, int]]:
    """Searchable tokens of already normalised text as (word, start, end), sorted by start.

    The text is segmented a stretch between punctuation marks at a time (see `_BREAKS`: jieba
    segments each on its own, so the tokens are the same), each stretch looked up in a memo
    first: labels, firm names and stock phrases recur from document to document.
    """
    tokens: list[tuple[str, int, int]] = []
    start = 0
    for end, after in _stretches(text):
        if end > start:
            tokens.extend(
                (word, start + first, start + last) for word, first, last in _segment_stretch(text[start:end])
            )
        start = after
    return tokens


#: Stretches whose tokens a process keeps (`set_segment_memo`); the memo is emptied when full.
SEGMENT_MEMO = 4096
_memo: dict[str, tuple[tuple[str, int, int], ...]] = {}
_memo_size = SEGMENT_MEMO


def set_segment_memo(size: int) -> None:
    """Keep the tokens of up to `size` stretches (a rebuild's worker processes keep many)."""
    global _memo_size
    _memo_size = size
    _memo.clear()


def _segment_stretch(stretch: str) -> tuple[tuple[str, int, int], ...]:
    found = _memo.get(stretch)
    if found is None:
        found = tuple(segment_whole(stretch))
        if len(_memo) >= _memo_size:
            _memo.clear()
        _memo[stretch] = found
    return found


def segment_whole(text: str) -> list[tuple[str, int, int]]:
    """`segment`'s tokens, the text segmented in one piece.

    jieba's search mode gives words and their 2- and 3-character dictionary sub-words; longer
    dictionary sub-words are added too (标识解析 inside 工业互联网标识解析, 制造执行 inside
    制造执行系统); every domain term in the text is a token even where jieba cut across it
    (机器/视觉检测 still gives 机器视觉); and ASCII runs and code-like runs, so that "5g" is
    found inside "5g全链接工厂" and "qd-2022-0001" as a whole.
    """
    seen: set[tuple[int, str]] = set()
    tokens: list[tuple[str, int, int]] = []

    def add(word: str, start: int, end: int) -> None:
        if (start, word) not in seen and is_searchable(word):
            seen.add((start, word))
            tokens.append((word, start, end))

    if not text:
        return tokens
    jieba = _jieba()
    freq = jieba.dt.FREQ
    for word, start, end in jieba.tokenize(text, mode="search"):
        add(word, start, end)
        for length in range(4, len(word)):
            for i in range(len(word) - length + 1):
                if freq.get(word[i : i + length]):
                    add(word[i : i + length], start + i, start + i + length)
    if _state.terms_pattern is not None:
        for match in _state.terms_pattern.finditer(text):
            term, start = match.group(1), match.start()
            if _ascii_bounded(text, start, start + len(term)):
                add(term, start, start + len(term))
    for pattern in (_ASCII_RUN, _CODE):
        for match in pattern.finditer(text):
            add(match.group(), match.start(), match.end())
    tokens.sort(key=lambda t: (t[1], -(t[2] - t[1])))
    return tokens


#: Punctuation (after normalising) that is never part of a token or of a query word: jieba
#: segments the text between such marks on its own, and no domain term, synonym (not even one of
#: several words, "digital twin"), ASCII run or code holds one.
#: The single quotes in it are the Chinese quotation marks U+2018 and U+2019, not look-alikes.
_BREAKS = re.compile(r"[,;:!?()。、“”‘’《》【】…]+")  # noqa: RUF001


def segment_around(text: str, needles: Iterable[str]) -> list[tuple[str, int, int]]:
    """The tokens `segment(text)` finds in the stretches of already normalised text between
    punctuation marks that contain one of the needles: the same tokens (jieba segments each
    stretch on its own), without segmenting the rest of a long text."""
    needles = [needle for needle in needles if needle]
    tokens: list[tuple[str, int, int]] = []
    start = 0
    for end, after in _stretches(text):
        stretch = text[start:end]
        if any(needle in stretch for needle in needles):
            tokens.extend((word, start + first, start + last) for word, first, last in _segment_stretch(stretch))
        start = after
    return tokens


def tokens_around(
    text: str, needles: Iterable[str], tokens: Iterable[tuple[str, int, int]]
) -> list[tuple[str, int, int]]:
    """`segment_around(text, needles)` from the tokens of the whole text, segmented before."""
    needles = [needle for needle in needles if needle]
    kept: list[tuple[int, int]] = []
    start = 0
    for end, after in _stretches(text):
        if any(needle in text[start:end] for needle in needles):
            kept.append((start, end))
        start = after
    if not kept:
        return []
    return [token for token in tokens if any(first <= token[1] < last for first, last in kept)]


def _stretches(text: str) -> list[tuple[int, int]]:
    """(end, start of the next) of each stretch of text between punctuation marks."""
    return [(m.start(), m.end()) for m in _BREAKS.finditer(text)] + [(len(text), len(text))]


def cut(text: str) -> list[str]:
    """Precise-mode words of normalised text (no overlapping sub-words): how queries are split."""
    return list(_jieba().cut(text))


class ChineseTokenizer(Tokenizer):
    """The Whoosh tokenizer for Chinese (and mixed) text. Token positions are character offsets."""

    def __call__(
        self,
        value,
        positions=False,
        chars=False,
        keeporiginal=False,
        removestops=True,
        start_pos=0,
        start_char=0,
        tokenize=True,
        mode="",
        **kwargs,
    ) -> Iterator[Token]:
        text = normalize(value)
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        pieces = segment(text) if tokenize else [(text, 0, len(text))]
        for word, start, end in pieces:
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = value[start:end]
            if positions:
                token.pos = start_pos + start
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def chinese_analyzer() -> ChineseTokenizer:
    return ChineseTokenizer()


# --- synonyms -------------------------------------------------------------------------------


class Synonyms:
    """Query expansions: groups of interchangeable terms, e.g. {预测性维护, 预知维护}, and one-way
    rules, e.g. pdm => 预测性维护 (an abbreviation that means something else too, PDM, product
    data management) or 节能降碳 => 能耗监测 … (a broader term reaching its narrower terms):
    a query for the left side also matches the right side and its group, not the reverse."""

    def __init__(
        self, groups: list[tuple[str, ...]], rules: Iterable[tuple[tuple[str, ...], tuple[str, ...]]] = ()
    ) -> None:
        self._group_of: dict[str, tuple[str, ...]] = {}
        for group in groups:
            for term in group:
                merged = self._group_of.get(term, ())
                self._group_of[term] = tuple(dict.fromkeys(merged + group))
        self._reaches: dict[str, tuple[str, ...]] = {}
        for sources, targets in rules:
            for term in sources:
                self._reaches[term] = tuple(dict.fromkeys(self._reaches.get(term, ()) + targets))
        self._expanded = {*self._group_of, *self._reaches}
        self._terms = list(dict.fromkeys([*self._group_of, *self._reaches, *chain(*self._reaches.values())]))
        self._lengths = sorted({len(term) for term in self._expanded}, reverse=True)

    @classmethod
    def parse(cls, text: str) -> Synonyms:
        """One group or rule a line: terms separated by whitespace, or by commas if the line has
        any; `left => right` for a one-way rule. A line with one term alone is ignored."""
        groups, rules = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if "=>" in line:
                sides = tuple(_terms(side, line) for side in line.split("=>"))
                if len(sides) != 2 or not all(sides):
                    raise ValueError(f"synonyms, line {number}: a rule is `terms => terms`: {line!r}")
                rules.append((sides[0], tuple(t for t in sides[1] if t not in sides[0])))
                continue
            terms = _terms(line, line)
            if len(terms) > 1:
                groups.append(terms)
        return cls(groups, rules)

    def terms(self) -> list[str]:
        """Every term of the groups and rules: the segmenter keeps them whole."""
        return list(self._terms)

    def group(self, term: str) -> tuple[str, ...]:
        """The alternatives for a normalised term, the term itself first: its group, and what
        its rules reach with their groups."""
        alternatives = [term, *self._group_of.get(term, ())]
        for target in self._reaches.get(term, ()):
            alternatives += [target, *self._group_of.get(target, ())]
        return tuple(dict.fromkeys(alternatives))

    def scan(self, text: str) -> Iterator[tuple[int, int]]:
        """Spans of normalised text that are synonym terms, leftmost-longest, not inside an
        ASCII word ("ar" is not found in "ware")."""
        i = 0
        while i < len(text):
            for length in self._lengths:
                term = text[i : i + length]
                if len(term) == length and term in self._expanded and _ascii_bounded(text, i, i + length):
                    yield i, i + length
                    i += length
                    break
            else:
                i += 1


def _terms(text: str, line: str) -> tuple[str, ...]:
    """The normalised terms of one side of a line, split as the whole line is."""
    separator = r"[,，]" if re.search(r"[,，]", line) else r"\s+"
    return tuple(dict.fromkeys(normalize(t.strip()) for t in re.split(separator, text) if t.strip()))


def _is_ascii_alnum(char: str) -> bool:
    return char.isascii() and char.isalnum()


def _ascii_bounded(text: str, start: int, end: int) -> bool:
    if _is_ascii_alnum(text[start]) and start > 0 and _is_ascii_alnum(text[start - 1]):
        return False
    return not (_is_ascii_alnum(text[end - 1]) and end < len(text) and _is_ascii_alnum(text[end]))


# --- fingerprint ----------------------------------------------------------------------------


def analysis_fingerprint(user_dictionary: str, synonyms: str, *extra: str) -> str:
    """A hash of everything that decides what the index holds and how it is queried: jieba's
    version, the analysis code's version, the user dictionary, the synonyms (and whatever the
    caller adds, e.g. a document type's schema). An index built under another hash is rebuilt."""
    import jieba

    digest = hashlib.sha256()
    for part in (f"jieba {jieba.__version__}", f"analysis {ANALYSIS_VERSION}", user_dictionary, synonyms, *extra):
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()
