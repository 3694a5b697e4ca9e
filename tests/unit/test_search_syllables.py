"""Pinyin read word by word (each word once, then remembered) is pypinyin's reading of the whole
text: the same syllables, search documents and sort keys, phrases and surnames included."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from crmtui import search
from crmtui.demo import people

pypinyin = pytest.importorskip("pypinyin")
from pypinyin import Style, lazy_pinyin  # noqa: E402
from pypinyin.constants import PHRASES_DICT  # noqa: E402

# What pypinyin reads differently in context: phrases (重庆 chong, 长沙 chang, 银行 hang),
# polyphones alone, surnames, and phrases that overlap when glued together (长城市, 重庆长).
TRICKY = [
    "重庆", "长沙", "银行", "行长", "重阳", "长城", "单于", "尉迟", "万俟", "曾", "单", "仇",
    "解", "乐", "朴", "覃", "都", "六", "薄", "有限公司", "北京长城贸易", "重庆华信科技有限公司",
    "长城市", "重庆长", "中国人", "你好吗", "衣裳", "〇", "\uf900", "\u3400", "\u9fff",
]
_PHRASES = sorted(PHRASES_DICT)[::997]  # a spread of the dictionary's phrases, fixed
_CHARACTERS = sorted(set("".join(TRICKY) + people.SURNAMES + "".join(people.GIVEN)))
_pieces = st.one_of(
    st.sampled_from(TRICKY),
    st.sampled_from(_PHRASES),
    st.sampled_from(_CHARACTERS),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),
    st.characters(min_codepoint=0x3400, max_codepoint=0x4DBF),
    st.characters(min_codepoint=0xF900, max_codepoint=0xFAFF),
    st.sampled_from([" ", "John", "Smith ", "·", "，", "3", "-", "ABC公司", "é"]),
)
texts = st.lists(_pieces, max_size=8).map("".join)


def _whole(
    text: str, style: int = 0, errors: str = "default", five: bool = False, run: bool = False
) -> list[str]:
    return lazy_pinyin(text, style=Style(style), errors=errors, neutral_tone_with_five=five)


@settings(max_examples=400, deadline=None)
@given(texts)
@example("重庆长沙")
@example("曾小华")
@example("尉迟恭")
@example("David 王")
def test_word_by_word_reading_is_pypinyins_reading_of_the_whole_text(text):
    assert search._syllables(text, errors="ignore") == _whole(text, errors="ignore")
    assert search._syllables(text, style=search._TONE3, five=True) == _whole(
        text, Style.TONE3, five=True
    )
    for run in search._CJK_RUN.findall(text):  # a run is cut into words without splitting it
        assert search._syllables(run, errors="ignore", run=True) == _whole(run, errors="ignore")


@settings(max_examples=200, deadline=None)
@given(texts, texts)
@example("曾华", "重庆华信科技有限公司")
@example("单于田", "长沙银行")
def test_search_documents_and_sort_keys_are_those_read_from_the_whole_text(name, company):
    def computed() -> tuple[str, str]:
        for cached in (search._text_tokens, search._pinyin_tokens, search.sort_key):
            cached.cache_clear()
        return search.search_document(name, company), search.sort_key(name)

    remembered = computed()
    original = search._syllables
    search._syllables = _whole  # pypinyin on the whole text, as before words were remembered
    try:
        assert computed() == remembered
    finally:
        search._syllables = original
        for cached in (search._text_tokens, search._pinyin_tokens, search.sort_key):
            cached.cache_clear()


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(max_codepoint=0x7F)))
@example("John Smith")
@example(" O'Neil-3 ")
def test_a_sort_key_of_ascii_text_is_what_pypinyin_reads_without_loading_it(text):
    read = "".join(_whole(text.strip(), Style.TONE3, five=True))
    folded = "".join(ch for ch in read.casefold() if ch.isalnum())[: search.SORT_KEY_LENGTH]
    search.sort_key.cache_clear()
    search._segmenters.cache_clear()
    try:
        assert search.sort_key(text) == folded
        assert search._segmenters.cache_info().misses == 0  # pypinyin was not asked
    finally:
        search.sort_key.cache_clear()
