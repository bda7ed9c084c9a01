"""Small LaTeX islands rendered to Unicode exactly as pylatexenc renders them, without its parser's cost.

pylatexenc spends 150-250 µs on a formula as short as `$\\alpha_2$`, most of an arXiv record's import time.
`render` reads the common constructs itself (characters, groups, inline math, macros with braced or
single-token arguments) and takes every macro's meaning from pylatexenc's own tables, so its output is
pylatexenc's; for anything else (optional arguments, environments, display math, special characters such
as `~` or `--`) it returns None and `to_text` asks pylatexenc. A property test holds the two equal.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

from pylatexenc import latex2text, latexwalker  # type: ignore[import-untyped]
from pylatexenc.latex2text._defaultspecs import unicode_accents_list  # type: ignore[import-untyped]

# A node: ("c", text) characters, ("g", nodes) a group, ("$", nodes) inline math,
# ("m", name, post_space, args) a macro whose args are nodes or None (an optional argument left out).
Node = tuple[Any, ...]


class UnsupportedLatexError(Exception):
    """A construct this renderer leaves to pylatexenc."""


_WALKER = latexwalker.get_default_latex_context_db()  # parsing: which macros take which arguments
_TEXT = latex2text.get_default_latex_context_db()  # rendering: what each macro becomes
_PYLATEXENC = latex2text.LatexNodes2Text(math_mode="text", keep_comments=False, strict_latex_spaces=False)
_ACCENTS = {name: combining for name, combining in unicode_accents_list}
_DOTLESS = {"\N{LATIN SMALL LETTER DOTLESS I}": "i", "\N{LATIN SMALL LETTER DOTLESS J}": "j"}
# Characters pylatexenc gives a meaning of its own (specials, comments, parameters): left to it.
_SPECIAL_CHARS = re.compile(r"[~&%#]|``|''|--|!`|\?`")
_PERCENT_S = re.compile(r"(^|[^%])(%%)*%s")
_NAME = re.compile(r"[A-Za-z]+")
_SPACE = re.compile(r"[ \t\r\n]*")
_CHARS = re.compile(r"[^\\{}$]+")
_MATH_DELIMITERS = "()[]"
_PLAIN_FORMULA = re.compile(r"\$([A-Za-z0-9]+)\$\Z")


def to_text(latex: str) -> str:
    """LaTeX as Unicode: rendered here when it can be, else by pylatexenc; malformed LaTeX loses its braces."""
    rendered = render(latex)
    if rendered is not None:
        return rendered
    try:
        return pylatexenc_text(latex)
    except Exception:  # malformed LaTeX: keep the text with braces dropped rather than fail
        return latex.replace("{", "").replace("}", "")


def pylatexenc_text(latex: str) -> str:
    """What pylatexenc renders (math as text, default spacing): the slow path, and the renderer's reference."""
    return str(_PYLATEXENC.latex_to_text(latex, latex_context=_WALKER))


def render(latex: str) -> str | None:
    """The island as pylatexenc's LatexNodes2Text (math as text, default spacing) renders it, or None."""
    if "\n\n" in latex or "\f" in latex:
        return None  # paragraph breaks: pylatexenc's own rules
    if plain := _PLAIN_FORMULA.match(latex):  # '$k$', '$10$': a fifth of arXiv's formulas, read at once
        return plain.group(1)
    try:
        nodes, _ = _parse(latex, 0, None, in_math=False)
        return _Renderer().nodes(nodes)
    except (UnsupportedLatexError, RecursionError):  # groups nested thousands deep: pylatexenc's to refuse
        return None


def _parse(text: str, pos: int, stop: str | None, *, in_math: bool) -> tuple[list[Node], int]:
    """Nodes from pos up to the closing `stop` ('}' or '$'; None for the end); returns the position after it."""
    nodes: list[Node] = []
    size = len(text)
    while pos < size:
        char = text[pos]
        if char == "\\":
            node, pos = _macro(text, pos, in_math=in_math)
            nodes.append(node)
        elif char == "{":
            group, pos = _parse(text, pos + 1, "}", in_math=in_math)
            nodes.append(("g", group))
        elif char == "}":
            if stop != "}":
                raise UnsupportedLatexError
            return nodes, pos + 1
        elif char == "$":
            if stop == "$":
                return nodes, pos + 1
            if in_math or text.startswith("$$", pos):
                raise UnsupportedLatexError
            math, pos = _parse(text, pos + 1, "$", in_math=True)
            nodes.append(("$", math))
        else:
            match = _CHARS.match(text, pos)
            assert match is not None  # the character is none of the four above
            chars = match.group()
            if _SPECIAL_CHARS.search(chars):
                raise UnsupportedLatexError
            nodes.append(("c", chars))
            pos = match.end()
    if stop is not None:
        raise UnsupportedLatexError  # unclosed group or formula
    return nodes, pos


def _macro(text: str, pos: int, *, in_math: bool) -> tuple[Node, int]:
    """A macro at pos (a backslash) with its arguments."""
    name_match = _NAME.match(text, pos + 1)
    if name_match:
        name = name_match.group()
        space = _SPACE.match(text, name_match.end())
        assert space is not None  # the pattern matches the empty string
        post_space, pos = space.group(), space.end()
    elif pos + 1 < len(text) and text[pos + 1] not in _MATH_DELIMITERS:
        name, post_space, pos = text[pos + 1], "", pos + 2
    else:
        raise UnsupportedLatexError  # a lone backslash at the end, or \( \[ math: pylatexenc's
    argspec = _argspec(name)
    if not argspec:
        return ("m", name, post_space, []), pos
    args: list[Node | None] = []
    for kind in argspec:
        ahead = _SPACE.match(text, pos)
        assert ahead is not None
        following = text[ahead.end() : ahead.end() + 1]
        if kind in "[*":
            if following == kind:
                raise UnsupportedLatexError  # optional arguments and starred forms: pylatexenc's
            args.append(None)
        elif kind == "{":
            arg, pos = _argument(text, ahead.end(), in_math=in_math)
            args.append(arg)
        else:
            raise UnsupportedLatexError
    return ("m", name, post_space, args), pos


def _argument(text: str, pos: int, *, in_math: bool) -> tuple[Node, int]:
    """One mandatory argument: a group, a macro (without its own arguments) or a single character."""
    if pos >= len(text):
        raise UnsupportedLatexError
    char = text[pos]
    if char == "{":
        group, pos = _parse(text, pos + 1, "}", in_math=in_math)
        return ("g", group), pos
    if char == "\\":
        name_match = _NAME.match(text, pos + 1)
        if not name_match or _argspec(name_match.group()):
            raise UnsupportedLatexError  # an argument that is a symbol or itself takes arguments
        end = name_match.end()
        if text[end : end + 1].isspace():
            raise UnsupportedLatexError
        return ("m", name_match.group(), "", []), end
    if char in "}$" or _SPECIAL_CHARS.match(text, pos):
        raise UnsupportedLatexError
    return ("c", char), pos + 1


def _argspec(name: str) -> str:
    """The macro's arguments as pylatexenc parses them ('{{' two mandatory, '[{' optional then mandatory)."""
    return getattr(getattr(_WALKER.get_macro_spec(name), "args_parser", None), "argspec", None) or ""


class _Renderer:
    """pylatexenc's LatexNodes2Text rules for the nodes above (its default 'macros' spacing outside math)."""

    def __init__(self) -> None:
        """Start outside math."""
        self.in_math = False

    def nodes(self, nodes: list[Node]) -> str:
        out = []
        previous: Node | None = None
        for node in nodes:
            # In math only, a macro without arguments keeps the space typed after it when characters follow.
            if self.in_math and previous is not None and previous[0] == "m" and not previous[3] and node[0] == "c":
                out.append(previous[2])
            out.append(self.node(node))
            previous = node
        return "".join(out)

    def node(self, node: Node) -> str:
        kind = node[0]
        if kind == "c":
            return "" if self.in_math and not node[1].strip() else str(node[1])
        if kind == "g":
            return self.nodes(node[1])
        if kind == "$":
            outer, self.in_math = self.in_math, True
            try:
                return self.nodes(node[1]).strip()
            finally:
                self.in_math = outer
        return self.macro(node[1], node[3])

    def argument(self, arg: Node | None) -> str:
        if arg is None:
            return ""
        return self.nodes(arg[1]) if arg[0] == "g" else self.node(arg)

    def macro(self, name: str, args: list[Node | None]) -> str:
        spec = _TEXT.get_macro_spec(name)
        if spec is None:
            return ""
        replacement = spec.simplify_repl
        if replacement:
            if callable(replacement):
                return self.call(name, replacement, args)
            if "%" in replacement and len(replacement) != 1:
                texts = [self.argument(a) for a in args]
                values: tuple[str, ...] | dict[str, str] = (
                    tuple(texts)
                    if _PERCENT_S.search(replacement)
                    else {str(n): t for n, t in enumerate(texts, start=1)}
                )
                try:
                    return str(replacement % values)
                except (TypeError, ValueError):
                    return str(replacement)
            return str(replacement)
        if spec.discard:
            return ""
        return "".join(self.argument(a) for a in args)

    def call(self, name: str, replacement: Callable[..., Any], args: list[Node | None]) -> str:
        """The callables of pylatexenc's tables this renderer knows: accents and math alphabets."""
        if name in _ACCENTS and replacement.__defaults__ == (_ACCENTS[name],):
            base = self.nodes([args[0]]).strip() if args and args[0] is not None else " "
            combining = _ACCENTS[name]
            return "".join(unicodedata.normalize("NFC", _DOTLESS.get(c, c) + combining) for c in base)
        if getattr(replacement, "__name__", "") == "formatter" and replacement.__defaults__:
            (style,) = replacement.__defaults__
            return str(latex2text.fmt_math_text_style(self.argument(args[0] if args else None), style))
        if name == "%":
            return "%"
        raise UnsupportedLatexError
