"""An analysis view of a report text that keeps a map back to the raw input.

Matching works on a cleaned copy of the text (NFC, one spelling of tone
marks, markdown emphasis blanked) but evidence must be a verbatim substring
of what the caller gave us.  Every character of the view remembers the raw
offset it came from, so a span found in the view maps back exactly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Characters that only carry layout in markdown/DOCX exports; blanking them
# (instead of deleting) keeps "**40.722**" readable as a number with spaces around.
_BLANK = str.maketrans({"*": " ", "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\r": " ", "\ufeff": " "})


_COMBINING = re.compile("[\u0300-\u036f\u1dc0-\u1dff\u20d0-\u20ff]")


@dataclass(frozen=True)
class TextView:
    raw: str
    text: str
    # raw offset of every view character, plus one trailing entry = len(raw)
    offsets: tuple[int, ...]

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """The raw [start, end) that view [start, end) came from."""
        return self.offsets[start], self.offsets[end]

    def raw_slice(self, start: int, end: int) -> str:
        a, b = self.raw_span(start, end)
        return self.raw[a:b]


def _clusters(raw: str) -> Iterable[tuple[int, str]]:
    """Base character plus its combining marks, with the raw offset of the base."""
    i, n = 0, len(raw)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(raw[j]):
            j += 1
        yield i, raw[i:j]
        i = j


def _respell(text: str, spelling: Iterable[tuple[str, str]]) -> str:
    for pattern, replacement in spelling:

        def keep_case(match: re.Match[str], replacement: str = replacement) -> str:
            return _same_case(match.group(0), replacement)

        text = re.sub(pattern, keep_case, text)
    return text


# A markdown table row "| 1 | Doanh thu | Tỷ đồng | 312,5 |" and its rule "|---|:--:|".
_PIPE_ROW = re.compile(r"(?m)^[ \t]*\|.*\|[ \t]*$")
_PIPE_RULE = re.compile(r"[\s|:\-]+")


def _pipe_tables(text: str) -> str:
    """Markdown pipe tables read like tab tables: inner bars become tabs, outer bars blanks.

    Length-preserving, so the view keeps its one-to-one map to the raw text.
    """
    if "|" not in text:
        return text

    def row(m: re.Match[str]) -> str:
        line = m.group(0)
        if line.count("|") < 3:
            return line
        if _PIPE_RULE.fullmatch(line):
            return " " * len(line)  # the rule under the header row
        first, last = line.index("|"), line.rindex("|")
        inner = line[first + 1 : last].replace("\t", " ").replace("|", "\t")
        return line[:first] + " " + inner + " " + line[last + 1 :]

    return _PIPE_ROW.sub(row, text)


def build_view(raw: str, spelling: Iterable[tuple[str, str]] = ()) -> TextView:
    """Build the analysis view.  ``spelling`` pairs (pattern, replacement) must keep lengths."""
    chars: list[str] = []
    offsets: list[int] = []
    if not _COMBINING.search(raw):
        # the common case: already composed, one view character per raw character
        text = _pipe_tables(raw.translate(_BLANK))
        text = _respell(text, spelling)
        return TextView(raw=raw, text=text, offsets=tuple(range(len(raw) + 1)))
    for pos, cluster in _clusters(raw):
        norm = unicodedata.normalize("NFC", cluster)
        for k, ch in enumerate(norm):
            chars.append(ch)
            # a cluster that does not compose to one char keeps all its pieces at the base offset
            offsets.append(pos if k == 0 else pos + min(k, len(cluster) - 1))
    offsets.append(len(raw))
    text = _pipe_tables("".join(chars).translate(_BLANK))
    text = _respell(text, spelling)
    if len(text) != len(chars):  # pragma: no cover - guarded by the lexicon loader
        raise ValueError("a spelling rule changed the text length")
    return TextView(raw=raw, text=text, offsets=tuple(offsets))


def _same_case(found: str, repl: str) -> str:
    """Apply ``repl`` keeping the case of each character of ``found``."""
    if len(repl) != len(found):
        return found
    return "".join(r.upper() if f.isupper() else r for f, r in zip(found, repl, strict=True))
