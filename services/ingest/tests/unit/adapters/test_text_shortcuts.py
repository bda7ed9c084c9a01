"""The importer's shortcuts past pylatexenc and ftfy give exactly their output, and are taken for most real text."""

from __future__ import annotations

import html
import json

import ftfy
import pytest
from ftfy import fixes
from ftfy.badness import is_bad
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ingest.adapters import text
from ingest.adapters.latex import pylatexenc_text as pylatexenc
from ingest.adapters.latex import render
from servicekit.testing import shared_data

# Macros of every kind pylatexenc's tables hold: symbols, accents (letter and symbol names), math alphabets,
# %-formatted ones (\frac, \sqrt with its optional argument), argument-keeping ones (\emph), discarded ones
# (\label), starred and optional-argument ones (\cite), font switches it does not know (\rm), unknown ones.
MACROS = [
    "alpha", "Lambda", "ell", "pm", "le", "to", "times", "sim", "infty", "ldots", "cdot", "langle", "rangle",
    "hat", "bar", "tilde", "vec", "'", "`", '"', "^", "~", "=", ".", "c", "v", "u", "H", "k", "r", "d", "b",
    "mathbb", "mathcal", "mathbf", "mathrm", "frac", "sqrt", "overline", "url", "ref", "cite", "emph", "textit",
    "text", "label", "mbox", "rm", "cal", "bf", "it", "msun", "rsun", "i", "j", "o", "ss", "ae", "AA", "l",
    ",", " ", "{", "}", "%", "&", "$", "_", "#", "\\", "(", ")", "[", "]", "left", "right", "sum", "log",
]  # fmt: skip
CHARS = [*"abxyzXYZ0129 \n\t^_()[],.=+-/|<>'*!?:;", "``", "''", "--", "~", "&", "%", "#"]

token = st.one_of(
    st.sampled_from(CHARS),
    st.sampled_from(MACROS).map(lambda name: "\\" + name),
    st.sampled_from(["{", "}", "$", " {", "} ", "$$"]),
)
islands = st.lists(token, max_size=14).map("".join)
formulas = st.lists(token.filter(lambda t: "$" not in t), max_size=12).map(lambda ts: "$" + "".join(ts) + "$")


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(islands, formulas))
@example(r"$M_{HDM} \le 0.6\times 10^{15}\msun$")
@example(r"$\bar\nu_e$ and \'{c}")
@example(r"$\mathbb R x$, \hat {xy}z, \frac 1 2")
def test_renders_what_pylatexenc_renders_or_declines(latex: str) -> None:
    fast = render(latex)
    if fast is not None:
        assert fast == pylatexenc(latex)


@pytest.mark.parametrize(
    ("latex", "expected"),
    [
        (r"$\alpha$", "α"),
        (r"$x^{2}$", "x^2"),
        (r"\'{c}", "ć"),
        (r"$\mathbb{Z}$", "ℤ"),
        (r"$\frac{1}{2}$", "1/2"),
        (r"$a = 7.54 \pm 0.30 \rsun = 0.0351$", "a = 7.54 ± 0.30  = 0.0351"),
        (r"\textit{T}", "T"),
    ],
)
def test_common_constructs_are_rendered_without_pylatexenc(latex: str, expected: str) -> None:
    assert render(latex) == expected


@pytest.mark.parametrize(
    "latex",
    ["{" * 5000 + "x" + "}" * 5000, r"$$x$$", r"\sqrt[3]{x}", r"\cite*{a}", r"a~b", r"x--y", r"\[x\]", r"{a", "\\"],
)
def test_what_it_does_not_know_is_declined(latex: str) -> None:
    assert render(latex) is None


def test_almost_every_island_of_real_arxiv_records_is_rendered_here() -> None:
    """The point of the renderer: pylatexenc is left only the rare construct (here 2 of some 450 islands)."""
    islands = []
    sample = shared_data() / "arxiv_snapshot_sample" / "arxiv-metadata-oai-snapshot.head.jsonl"
    for line in sample.read_text().splitlines():
        record = json.loads(line)
        for field in ("title", "abstract", "comments", "journal-ref"):
            value = (record.get(field) or "").replace("``", '"').replace("''", '"')
            islands += [text.escape_specials(m.group(0)) for m in text.island_pattern(value).finditer(value)]
    rendered = [island for island in islands if render(island) is not None]
    assert len(islands) > 300
    assert len(rendered) >= 0.98 * len(islands)
    assert all(render(island) == pylatexenc(island) for island in rendered)


INERT_RANGES = [
    (0x20, 0x7E), (0xA0, 0x4FF), (0x1E00, 0x1EFF), (0x2010, 0x205E), (0x2070, 0x20CF), (0x2100, 0x23FF),
    (0x25A0, 0x25FF), (0x27C0, 0x27FF), (0x2900, 0x2AFF), (0x1D400, 0x1D7FF),
]  # fmt: skip
PER_CHARACTER_FIXES = [
    fixes.fix_c1_controls, fixes.fix_latin_ligatures, fixes.fix_character_width, fixes.uncurl_quotes,
    fixes.fix_line_breaks, fixes.fix_surrogates, fixes.remove_terminal_escapes, fixes.remove_control_chars,
]  # fmt: skip


def test_every_character_the_ftfy_shortcut_lets_through_is_one_ftfy_leaves_alone() -> None:
    for first, last in INERT_RANGES:
        for point in range(first, last + 1):
            char = chr(point)
            if text.ftfy_keeps(char):
                assert all(fix(char) == char for fix in PER_CHARACTER_FIXES), hex(point)
    for changed in ("\u2018quoted\u2019", "\ufb01ne", "caf\u00c3\u00a9", "e\u0301"):  # quotes, ligature, mojibake, NFD
        assert not text.ftfy_keeps(changed)


messy = st.lists(
    st.sampled_from(["caf", "é", "Ã©", "â€™", "Î±", "α", "β≤γ", "ℤ", "𝒩", "ﬁ", "“", "”", "’", "e\u0301", "&amp;", "&",
                     "<b>", "\r\n", "\u2028", "\x85", "\xa0", " ", "\n", "Ã", "©", "x", "Ð", "µ", "ä", "ö", "ü", "ß"]),
    max_size=12,
).map("".join)  # fmt: skip


@settings(max_examples=3000, deadline=None)
@given(messy)
def test_fix_text_equals_ftfy_whether_or_not_it_takes_the_shortcut(value: str) -> None:
    assert text.fix_text(value) == " ".join(ftfy.fix_text(html.unescape(value)).split())


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["a", " ", "\n", "x" * 9, "Ã", "©", "Â", "Œ", "œ", "×", "²", "√", "±", "В", "Ђ", "Г"]),
                max_size=20).map("".join))  # fmt: skip
def test_the_mojibake_test_on_stretches_finds_whatever_ftfy_finds_in_the_whole(value: str) -> None:
    if any(is_bad(line) for line in value.splitlines(keepends=True)):  # ftfy's test, line by line
        assert text.looks_like_mojibake(value)


def test_text_rendered_from_ascii_is_never_mended_as_mojibake() -> None:
    # The author typed a tilde-A and a copyright sign; 'cafÃ©' reads like mojibake but nothing mis-decoded it.
    assert text.latex_prose_to_text(r"caf\~A\textcopyright{} and $\alpha$") == "cafÃ© and α"
    assert text.latex_prose_to_text("cafÃ© and $\\alpha$") == "café and α"  # typed mojibake is still mended


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["caf", "x ", "$\\alpha$", "\\'e", "\\~A", "\\textcopyright{}", "``q''", "\\ldots",
                                 "\\textquotedblleft{}", "\\c{c}", "$\\mathcal{N}$", "\\ae", "\n", "&amp;"]),
                max_size=10).map("".join))  # fmt: skip
def test_ascii_prose_gets_ftfy_character_fixes_but_no_encoding_repair(value: str) -> None:
    rendered = text.island_pattern(value).sub(text._render_island, html.unescape(value))
    expected = " ".join(ftfy.fix_text(rendered, unescape_html=False, fix_encoding=False).split())
    assert text.latex_prose_to_text(value) == expected


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(token, st.sampled_from(["plain words ", "\\", "$", "{", "}", "\\$", "$$"])), max_size=16)
       .map("".join))  # fmt: skip
def test_islands_found_by_skipping_to_openers_are_the_ones_re_sub_finds(value: str) -> None:
    for islands in (text._LATEX_ISLAND, text._MARKUP_ISLAND):
        assert text.render_islands(islands, value) == islands.sub(text._render_island, value)


@settings(max_examples=3000, deadline=None)
@given(
    st.one_of(
        messy,
        st.text(
            alphabet=st.sampled_from(
                [" ", "\n", "\r", "\t", "\x0b", "\x1f", "\x85", "\xa0", "\u2028", "\u3000", "a", "é", "\x00"]
            ),
            max_size=20,
        ),
    )
)
@example("  Hard-wrapped\n  abstract text,\nline after line.\n")
def test_collapsing_whitespace_equals_splitting_and_joining(value: str) -> None:
    assert text.collapse_whitespace(value) == " ".join(value.split())
