"""What customer search matches: a search document per customer, and the query built from typing.

The document lists every token a user may type the start of: words of the name, company, e-mail,
IM id and tags; for Chinese text every suffix of each run of characters (so 三 finds 张三), its
pinyin in full and as initials (zhangsan, zs) with their suffixes; and phone digits with their
suffixes (so the last four digits find a number). The database indexes it with FTS5 and matches
each typed word as a prefix, which keeps a keystroke to an index look-up.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache

from crmtui.patterns import lazy_pattern

_CJK_RUN = lazy_pattern(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = lazy_pattern(r"[^\W_]+", re.UNICODE)
_NOT_DIGIT = lazy_pattern(r"\D")
_MAX_RUN = 16


def _suffixes(text: str, minimum: int = 1) -> list[str]:
    return [text[i:] for i in range(len(text) - minimum + 1)]


# Surnames read otherwise than the character's everyday reading (pypinyin has no surname mode):
# a name starting with one is indexed under both readings, so 曾 is found as zeng and ceng.
SURNAME_READINGS = {
    "万俟": ("mo", "qi"),
    "尉迟": ("yu", "chi"),
    "单于": ("chan", "yu"),
    "曾": ("zeng",),
    "单": ("shan",),
    "仇": ("qiu",),
    "解": ("xie",),
    "区": ("ou",),
    "查": ("zha",),
    "朴": ("piao",),
    "乐": ("yue",),
    "盖": ("ge",),
    "翟": ("zhai",),
    "缪": ("miao",),
    "种": ("chong",),
    "覃": ("qin",),
    "重": ("chong",),
    "秘": ("bi",),
    "华": ("hua",),
    "过": ("guo",),
    "纪": ("ji",),
    "燕": ("yan",),
    "繁": ("po",),
    "瞿": ("qu",),
    "折": ("she",),
    "那": ("na",),
    "粘": ("nian",),
    "藏": ("zang",),
    "都": ("du",),
    "六": ("lu",),
    "薄": ("bo",),
    "贾": ("jia",),
    "居": ("ju",),
    "盛": ("sheng",),
    "柏": ("bai",),
    "牟": ("mou",),
    "陆": ("lu",),
    "阚": ("kan",),
    "车": ("che",),
    "宿": ("su",),
    "卜": ("bu",),
    "员": ("yun",),
    "尉": ("yu",),
}


@lru_cache(maxsize=1)
def _segmenters() -> tuple[Callable[[str], list[str]], Callable[[str], Iterable[str]]]:
    """pypinyin's segmentation of any text, and of a run of Chinese characters alone (which
    its segmentation hands to the phrase dictionary's longest-match cut as it is: without
    first splitting the text into runs of characters with and without pinyin)."""
    # on first use: pypinyin is heavy and only the paths that read pinyin need it
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.core import Pinyin
    from pypinyin.seg import mmseg

    segment: Callable[[str], list[str]] = Pinyin().seg
    return segment, (mmseg.seg.cut if PHRASES_DICT else lambda run: (run,))


@lru_cache(maxsize=65536)  # words: phrases of pypinyin's dictionary and single characters
def _word_syllables(word: str, style: int, errors: str, five: bool) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin  # on first use, as above

    return tuple(lazy_pinyin(word, style=Style(style), errors=errors, neutral_tone_with_five=five))


def _syllables(
    text: str, style: int = 0, errors: str = "default", five: bool = False, *, run: bool = False
) -> list[str]:
    """`lazy_pinyin(text, style, errors, neutral_tone_with_five=five)`, each word read once;
    `run`: the text is a run of Chinese characters (_CJK_RUN).

    pypinyin splits the text into words (runs of other characters, phrases of its dictionary,
    single characters) and reads each word on its own, so a word reads the same wherever it
    stands: names and companies share their characters and words, and their pinyin is worked
    out once per word (tests/unit/test_search_syllables.py compares the two over random text)."""
    segment, cut = _segmenters()
    syllables: list[str] = []
    for word in cut(text) if run else segment(text):
        syllables.extend(_word_syllables(word, style, errors, five))
    return syllables


@lru_cache(maxsize=65536)
def _pinyin_tokens(run: str, surname: bool) -> tuple[str, ...]:
    try:
        syllables = _syllables(run, errors="ignore", run=True)
    except ImportError:  # pinyin search is an extra; Chinese characters still match
        return ()
    if not syllables:
        return ()
    tokens: set[str] = set()
    tokens.update("".join(syllables[i:]) for i in range(len(syllables)))
    initials = "".join(s[0] for s in syllables if s)
    tokens.update(_suffixes(initials))
    if not surname:  # phrases (重庆, 长沙) read right from pypinyin's phrase dictionary
        return tuple(sorted(tokens))
    for length in (2, 1):  # a compound surname (尉迟) before a single one (尉)
        reading = SURNAME_READINGS.get(run[:length])
        if reading and len(syllables) >= length:
            read = [*reading, *syllables[length:]]
            tokens.add("".join(read))
            tokens.add("".join(s[0] for s in read if s))
            break
    return tuple(sorted(tokens))


@lru_cache(maxsize=65536)  # names and companies repeat across a large import
def _text_tokens(text: str, is_name: bool) -> tuple[str, ...]:
    tokens: list[str] = []
    for run in _CJK_RUN.findall(text):
        run = run[:_MAX_RUN]
        tokens.extend(_suffixes(run))
        tokens.extend(_pinyin_tokens(run, is_name))
    tokens.extend(w.lower() for w in _WORD.findall(_CJK_RUN.sub(" ", text)))
    return tuple(tokens)


NAME_END = " · "
"""Separates the name's tokens from the rest of a document (the index reads it as a space), so
that results whose own name matches can be ranked first without computing pinyin again."""


def search_document(
    name: str,
    company: str = "",
    phones: str = "",
    email: str = "",
    im_id: str = "",
    tags: str = "",
    contacts: Iterable[tuple[str, str, str]] = (),
) -> str:
    """The customer's tokens; `contacts` are the (name, phones, e-mail) of the people at the
    customer, so that typing a contact's name (or its pinyin) finds the customer."""
    named = dict.fromkeys(_text_tokens(name or "", True))
    named.pop("", None)
    tokens: list[str] = [*_text_tokens(company or "", False)]
    people = list(contacts)
    for person, _phones, _email in people:
        tokens.extend(_text_tokens(person or "", True))
    for phone in [
        *(phones or "").split(","),
        *(part for _p, numbers, _e in people for part in (numbers or "").split(",")),
    ]:
        digits = _NOT_DIGIT.sub("", phone)
        if digits:
            tokens.extend(_suffixes(digits, minimum=3) if len(digits) > 3 else [digits])
    for text in (
        email,
        im_id,
        tags.replace(",", " ") if tags else "",
        *(address for _p, _n, address in people),
    ):
        if text:
            tokens.extend([w.lower() for w in _WORD.findall(text)])
    # each token once, in order, leaving out the name's
    rest = dict.fromkeys(tokens)
    rest.pop("", None)
    for token in named:
        rest.pop(token, None)
    return " ".join(named) + NAME_END + " ".join(rest)


def name_matches(document: str, terms: list[str]) -> bool:
    """Whether every typed term starts a token of the name itself (its words, characters or
    pinyin) in a stored search document, rather than only of the company, phone or e-mail."""
    name, marked, _rest = (document or "").partition(NAME_END)
    tokens = name.split() if marked else []
    return all(
        any(token.startswith(word) for token in tokens) for term in terms for word in term.split()
    )


def query_terms(text: str) -> list[str]:
    """The words of a typed query, each to match the start of a document token."""
    terms = []
    for raw in (text or "").split():
        if re.fullmatch(r"[\d\s()+\-]+", raw):
            raw = re.sub(r"\D", "", raw)
        cleaned = " ".join(_WORD.findall(raw.lower()))
        if cleaned:
            terms.append(cleaned)
    return terms


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression: every term as a quoted prefix, all required."""
    terms = query_terms(text)
    if not terms:
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"*' for t in terms)


SORT_KEY_LENGTH = 120


_TONE3 = 8
"""pypinyin's Style.TONE3 (syllables ending in their tone's digit), named without importing it."""


@lru_cache(maxsize=1024)
def _surname_syllable(character: str, reading: str) -> str:
    # on first use: pypinyin is heavy and only this path needs it
    from pypinyin import Style, pinyin

    for candidate in pinyin(
        character, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True
    )[0]:
        if candidate.rstrip("012345") == reading:
            return candidate
    return reading + "5"


@lru_cache(maxsize=65536)
def sort_key(text: str) -> str:
    """What names sort by: Chinese characters as their pinyin with tone numbers (周 zhou1,
    孔 kong3; a surname read as a surname, 曾 zeng1), everything lower case, only letters and
    digits. The tone digit ends each syllable, so 西安 (xi1an1) comes before 先 (xian1) as in a
    dictionary, and plain letters and digits compare the same under every database collation
    (no spaces or punctuation, which some ignore)."""
    text = (text or "").strip()
    try:
        # ASCII has nothing to read as pinyin: a login or a Latin name needs no dictionary
        syllables = [text] if text.isascii() else _syllables(text, style=_TONE3, five=True)
    except ImportError:  # pinyin is an extra: names then sort by their characters
        syllables = [text]
    else:
        if _CJK_RUN.match(text):
            for length in (2, 1):  # a compound surname (尉迟) before a single one (尉)
                reading = SURNAME_READINGS.get(text[:length])
                if reading and len(syllables) >= length:
                    syllables[:length] = [
                        _surname_syllable(ch, r)
                        for ch, r in zip(text[:length], reading, strict=False)
                    ]
                    break
    folded = unicodedata.normalize("NFKD", "".join(syllables)).casefold()
    return "".join(ch for ch in folded if ch.isalnum())[:SORT_KEY_LENGTH]
