"""Tie a figure to a catalog indicator, or to nothing.

Around every figure we look at nested scopes, from the closest outwards:

    pre      words before the number back to the previous ',', ';' or '('
    post     words after it up to the next ',', ';', '(' or number
    here     pre and post together
    owner    the phrase a parenthesis hangs on: "41.337 hồ sơ (39.860 trực tiếp, ...)"; for a
             table cell, the table's caption
    columns  for a table cell, the headers of the columns to its left, nearest first
    unitcol  for a table cell, its row's "Đơn vị tính" cell
    pair     for a figure ending its item with no word after it, the words after the figure of
             the item before it: "trực tuyến 436.565 hồ sơ, trực tiếp 16.043"
    elided   for a figure opening a ';' clause, the words before the first figure of the
             clause before it: "tiếp nhận 22.219 hồ sơ mức độ 3; 4.532 hồ sơ mức độ 4"
    rest     the rest of the sentence after the figure, its parentheses and breakdown included:
             the parts a whole is listed in ("1.312 dịch vụ công (toàn trình 498, một phần 814)");
             for a table cell, the headers of the columns to its left together
    clause   the ';'-separated piece of the sentence (other parentheses left out)
    sentence the sentence
    label    the words before ':' opening the sentence ("Chứng thư số chuyên dùng: ...")
    lead     the label of the paragraph's first sentence
    para     earlier sentences of the paragraph
    sib      the paragraph just before, under the same heading (a bullet introducing
             the system the next bullet counts for: "- Hệ thống QLVB ...", "- Năm 2025 phát hành ...")
    head     the enclosing headings, innermost first

Each slot of the lexicon (topic, object, action, level, ...) is resolved
to the value mentioned nearest to the figure in the first scope of its
reach that mentions any.  An indicator matches when every slot it needs
resolved to one of its values and no slot it forbids did.  The most
specific match wins; a tie between different indicators is ambiguous and
the figure is left out — fail safe.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .figures import Figure
from .lexicon import SET_SCOPES, Indicator, Lexicon, Rule, Slot
from .segment import Paragraph, Segmented, Span

# How much a need satisfied in a scope says: closer is surer.
SCOPE_WEIGHT = {
    "ratio": 3.0,
    "pre": 3.0,
    "post": 3.0,
    "here": 3.0,
    "owner": 2.5,
    "columns": 2.3,
    "unitcol": 2.3,
    "elided": 2.2,
    "pair": 2.2,
    "prev": 2.2,
    "rest": 1.5,
    "clause": 2.0,
    "label": 1.8,
    "sentence": 1.5,
    "lead": 1.3,
    "para": 1.0,
    "sib": 0.9,
    "head": 0.8,
}
_TOTAL_ROW = re.compile(
    r"\s*(?:tổng\s+cộng|tổng\s+số|tổng|cộng|toàn\s+tỉnh|toàn\s+thành\s+phố)\s*:?\s*", re.IGNORECASE
)
# "Về tỷ lệ …, <subject> đạt …", also after an opening phrase of time ("Tính đến ngày …, về …,")
_TOPIC_OPENING = re.compile(
    r"[\s\-+•*]*(?:[^,;:()]{0,60},\s*)?(?:về|đối với)\s+([^,;:()\d]{3,100}?)\s*", re.IGNORECASE
)
# "tỷ lệ hồ sơ trực tuyến tiếp tục tăng, đạt 63,86%": a bare predicate before the figure, its
# subject before the comma
_BARE_PREDICATE = re.compile(r"\s*(?:đạt(?:\s+mức)?|ở\s+mức|lên\s+(?:tới|đến|mức)|là)\s*", re.IGNORECASE)
PRE_LIMIT = 140
POST_LIMIT = 100
RIGHT_PENALTY = 2  # at equal distance a mention before the number wins


# " trong đó", " bao gồm" (not the "bao" of "thuê bao gồm"), ", gồm": a breakdown after a figure's
# phrase begins the parts' phrases
_BREAKDOWN = re.compile(r"\s(?:trong\s+đó|(?<!thuê\s)bao\s+gồm|(?<=,\s)gồm)(?!\w)", re.IGNORECASE)
# the scopes where a mention leading into another figure is that figure's alone (option own_figure);
# the words an elided clause takes from the one before govern its figure whatever figure they led
# into ("Bán kính phục vụ bình quân 3,37 km/điểm; khu vực nông thôn 3,92 km/điểm")
_OWN_FIGURE_SCOPES = frozenset({"pre", "post", "here", "clause", "sentence"})
# the words between a measure and its number: "bán kính phục vụ bình quân là 2,15 km"
_LEAD_IN = re.compile(r"[^\S\n]*(?:(?:là|đạt|:)[^\S\n]*)?")
# "Trong đó: trả sau": a table row that is a part of the row above
_PART_ROW = re.compile(r"\s*trong\s+đó\b", re.IGNORECASE)


def _decimal_comma(text: str, i: int) -> bool:
    """ "74,5": a comma between digits is a decimal mark, not a phrase boundary."""
    return 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()


class SlotIndex:
    """All mentions of one slot's values in the text, longest first where they overlap."""

    def __init__(self, text: str, slot: Slot) -> None:
        kept: list[tuple[int, int, str]] = []
        pos = 0
        combined = slot.combined
        assert combined is not None
        # leftmost-longest: at each hit, every value tries its own pattern there and the longest wins
        while (m := combined.search(text, pos)) is not None:
            start = m.start()
            best_end, best_value = m.end(), slot.group_values[int(m.lastgroup[1:])] if m.lastgroup else ""
            for value, pattern in slot.values.items():
                other = pattern.match(text, start)
                if other is not None and other.end() > best_end:
                    best_end, best_value = other.end(), value
            if best_end <= start:
                pos = start + 1
                continue
            kept.append((start, best_end, best_value))
            pos = best_end
        # shields ("_name") only hide what they overlap
        self.matches = [m for m in kept if not m[2].startswith("_")]
        self.starts = [m[0] for m in self.matches]

    def overlapping(self, a: int, b: int) -> list[tuple[int, int, str]]:
        """Mentions that overlap [a, b): a phrase running past a scope's edge still belongs to it."""
        i = bisect.bisect_left(self.starts, a)
        if i > 0 and self.matches[i - 1][1] > a:
            i -= 1
        out = []
        while i < len(self.matches) and self.matches[i][0] < b:
            out.append(self.matches[i])
            i += 1
        return out


@dataclass
class Context:
    fig: Figure
    para: Paragraph
    sentence: Span
    clause: Span
    pre: list[Span]
    post: Span
    owners: list[list[Span]]
    groups: list[Span]  # the parentheses that contain the figure
    excluded: list[Span]  # parentheses of the paragraph that do not contain it
    label: Span | None
    lead: Span | None
    heads: list[Span]
    sibling: bool = False  # a later item of a list "57 kế hoạch, 138 quyết định, 2.373 văn bản"
    elided: list[Span] = field(default_factory=list)
    pair: list[Span] = field(default_factory=list)  # the noun after the previous item's figure
    prev: list[Span] = field(default_factory=list)  # the phrase of the figure just before, same clause
    sib: Span | None = None  # the previous paragraph under the same heading
    columns: list[list[Span]] = field(default_factory=list)  # table: headers of the columns to the left
    unit_cell: list[list[Span]] = field(default_factory=list)  # table: the row's "ĐVT" cell
    cache: dict[tuple[str, tuple[str, ...]], tuple[frozenset[str], str | None]] = field(default_factory=dict)

    def pre_text(self, text: str) -> str:
        return " ".join(text[a:b] for a, b in sorted(self.pre))


class Matcher:
    def __init__(self, seg: Segmented, figures: list[Figure], lex: Lexicon, glue: bytearray) -> None:
        self.seg = seg
        self.text = seg.text
        self.lex = lex
        self.glue = glue
        self.figures = figures
        self.fig_starts = [f.start for f in figures]
        self.index = {name: SlotIndex(self.text, slot) for name, slot in lex.slots.items()}

    # -- scopes -----------------------------------------------------------------------------------

    def _has_figure(self, a: int, b: int) -> bool:
        i = bisect.bisect_left(self.fig_starts, a)
        return i < len(self.figures) and self.figures[i].start < b

    def _group_closing(self, para: Paragraph, close: int) -> Span | None:
        for o, c in para.parens:
            if c == close:
                return (o, c)
        return None

    def scan_left(self, pos: int, bound: int, para: Paragraph, keep_groups: bool = False) -> list[Span]:
        text = self.text
        spans: list[Span] = []
        end = pos
        i = pos - 1
        while i >= bound and pos - i < PRE_LIMIT:
            ch = text[i]
            if ch == ")":
                group = self._group_closing(para, i)
                if group and group[0] >= bound and not self._has_figure(group[0], group[1]):
                    # "(trả trước và trả sau):" explains the phrase; its words are not the phrase
                    if keep_groups:
                        i = group[0] - 1
                        continue
                    spans.append((i + 1, end))
                    end = group[0]
                    i = group[0] - 1
                    continue
                break
            if ch in "(;\t" or (ch == "," and not self.glue[i] and not _decimal_comma(text, i)):
                break
            # "386 dịch vụ mức độ 3 và 174 dịch vụ mức độ 4": the words before "và" are the
            # previous number's, as scan_right stops at "và" for the number before it; a glued
            # "và" ("đúng và trước hạn") is inside one phrase
            if (
                ch == " "
                and text.startswith(" và ", i - 3)
                and not self.glue[i - 2]
                # a number of the sentence before owns no words of this one
                and self._figure_ends_in(max(bound, i - 63), i - 3)
            ):
                i += 1
                break
            i -= 1
        spans.append((i + 1, end))
        return [s for s in spans if s[1] > s[0]]

    def _figure_ends_in(self, a: int, b: int) -> bool:
        j = bisect.bisect_left(self.fig_starts, max(a, 0))
        while j < len(self.figures) and self.figures[j].start < b:
            if self.figures[j].end <= b:
                return True
            j += 1
        return False

    def scan_right(self, pos: int, bound: int, para: Paragraph) -> Span:
        text = self.text
        i = pos
        nxt = bisect.bisect_left(self.fig_starts, pos)
        stop = self.figures[nxt].start if nxt < len(self.figures) else bound
        stop = min(stop, bound, pos + POST_LIMIT)
        while i < stop:
            ch = text[i]
            if ch == "(":
                group = next(((o, c) for o, c in para.parens if o == i), None)
                if group and not self._has_figure(group[0], group[1]) and group[1] < bound:
                    i = group[1] + 1
                    continue
                break
            if ch in ");\t" or (ch == "," and not self.glue[i] and not _decimal_comma(text, i)):
                break
            if ch == " " and i > pos + 1 and self._next_phrase_starts(i):
                break
            i += 1
        return (pos, i)

    def _next_phrase_starts(self, i: int) -> bool:
        """At the space ``i`` after a figure's words: "... 03 đơn vị và nhắc nhở 02 đơn vị": "và"
        starts the next phrase; "2.006.864 thuê bao trong đó thuê bao cố định 39.236": the
        parts' words are theirs."""
        text = self.text
        if text.startswith(" và ", i) and not self.glue[i + 1]:
            return True
        return _BREAKDOWN.match(text, i) is not None

    def context(self, fig: Figure) -> Context:
        para = self.seg.paragraphs[fig.para]
        sentence = next((s for s in para.sentences if s[0] <= fig.start < s[1]), para.span)
        clause = next((c for c in para.clauses if c[0] <= fig.start < c[1]), sentence)
        groups = [g for g in para.parens if g[0] < fig.start and fig.end <= g[1]]
        groups.sort(key=lambda g: -g[0])  # innermost first
        excluded = [g for g in para.parens if not (g[0] < fig.start and fig.end <= g[1])]
        label = para.labels.get(sentence[0])
        lead = para.lead if para.lead != label else None
        heads = [h.span for h in para.headings]
        ctx = Context(
            fig, para, sentence, clause, [], (fig.end, fig.end), [], groups, excluded, label, lead, heads
        )
        if para.cells and fig.cell is not None:
            self._table_context(ctx)
        else:
            self._text_context(ctx)
        ctx.sibling = self._is_sibling(ctx)
        if not para.cells:
            ctx.elided = self._elided(ctx)
            ctx.prev = self._prev_phrase(ctx)
            ctx.pair = self._pair_noun(ctx)
            ctx.sib = self._sibling_paragraph(fig.para)
        return ctx

    def _table_context(self, ctx: Context) -> None:
        fig, para = ctx.fig, ctx.para
        ctx.pre, ctx.post, ctx.label = self._table_scopes(para, fig)
        ctx.columns = self._columns_left(para, fig)
        # the table's "ĐVT" column wherever it stands ("Mật độ | TB/100 dân | 119,8") says the
        # unit, and only that: its "điểm" is no object counted
        unit = para.unit_column
        if (
            unit is not None
            and unit != fig.cell
            and unit < len(para.cells)
            and not self._has_figure(*para.cells[unit])
        ):
            ctx.unit_cell = [[para.cells[unit]]]
        above = self._row_owner(fig.para)
        if above is not None:
            ctx.owners.append([above])
            ctx.pre = [*ctx.pre, above]  # what the part row counts is what the row above counts
        if para.table_caption is not None:
            # the caption names what the whole table counts, like a heading over it
            ctx.owners.append([para.table_caption])
            ctx.heads = [para.table_caption, *ctx.heads]

    def _text_context(self, ctx: Context) -> None:
        fig, para, sentence = ctx.fig, ctx.para, ctx.sentence
        ctx.pre = self.scan_left(fig.start, sentence[0], para)
        ctx.post = self.scan_right(fig.end, sentence[1], para)
        if fig.ratio in ("part", "part_of"):
            # "119/143 đài truyền thanh ...", "1.579 trong tổng số 1.937 dịch vụ …": the part's
            # words come after the whole
            whole = self._whole_of(fig)
            if whole is not None:
                # "trong tổng số" is no word of what the part counts
                start = whole.end if fig.ratio == "part_of" else fig.end
                ctx.post = (start, self.scan_right(whole.end, sentence[1], para)[1])
        ctx.owners = [
            self.scan_left(self._group_opening(g, fig), sentence[0], para, keep_groups=True) for g in ctx.groups
        ]
        # "Về tỷ lệ nộp hồ sơ trực tuyến, Nghệ An đạt 72,35%": the topic phrase opening the
        # sentence names what the subject's figure is, as the phrase before it would
        topic = self._topic_phrase(sentence[0], ctx.pre)
        if topic is not None:
            ctx.pre = [*ctx.pre, topic]
        subject = self._subject_of_bare_predicate(sentence[0], ctx.pre, para)
        if subject is not None:
            ctx.pre = [*ctx.pre, subject]
        for owner in ctx.owners:
            topic = self._topic_phrase(sentence[0], owner)
            if topic is not None:
                owner.append(topic)
        if para.footnote_of is not None:
            ctx.owners.append([para.footnote_of])  # "¹ Gồm 02 quyết định …" explains its sentence

    def _group_opening(self, group: Span, fig: Figure) -> int:
        """Where the phrase a group hangs on ends: its "(", or for a count the comma before a
        breakdown ("phát triển mới 94.511 thuê bao, trong đó có 13.869 thuê bao cố định": the parts
        are parts of what the phrase before the comma counts; a share in it, "…, trong đó 587.350
        văn bản được ký số, chiếm 95,9%", is of the part its own words name)."""
        text, i = self.text, group[0]
        if text[i] == "(" or fig.kind != "count":
            return i
        while i > 0 and text[i - 1] in " \t":
            i -= 1
        return i - 1 if i > 0 and text[i - 1] == "," else group[0]

    def _topic_phrase(self, start: int, spans: list[Span]) -> Span | None:
        """The words of "Về <topic>," when the phrase ``spans`` begins right after that comma."""
        if not spans:
            return None
        first = min(a for a, _ in spans)
        comma = first - 1
        while comma > start and self.text[comma] == " ":
            comma -= 1
        if comma <= start or self.text[comma] != ",":
            return None
        m = _TOPIC_OPENING.fullmatch(self.text, start, comma)
        return m.span(1) if m else None

    def _subject_of_bare_predicate(self, start: int, spans: list[Span], para: Paragraph) -> Span | None:
        """ "tỷ lệ hồ sơ trực tuyến tiếp tục tăng, đạt 63,86%": the phrase before the comma, when
        it holds no figure, is the subject of a figure whose own words are only "đạt"."""
        if len(spans) != 1 or not _BARE_PREDICATE.fullmatch(self.text, *spans[0]):
            return None
        comma = spans[0][0] - 1
        if comma <= start or self.text[comma] != ",":
            return None
        before = self.scan_left(comma, start, para)
        if not before or self._has_figure(min(a for a, _ in before), comma):
            return None
        return (min(a for a, _ in before), comma)

    def _row_owner(self, index: int) -> Span | None:
        """ "Trong đó: trả sau" under "Thuê bao điện thoại di động": the row above names what
        the part belongs to."""
        para = self.seg.paragraphs[index]
        label = next((c for c in para.cells if c[1] > c[0] and not self._has_figure(*c)), None)
        if label is None or not _PART_ROW.match(self.text, *label):
            return None
        for back in range(index - 1, max(-1, index - 4), -1):
            row = self.seg.paragraphs[back]
            if not row.cells or row.table_header is not para.table_header:
                return None
            owner = next((c for c in row.cells if c[1] > c[0] and not self._has_figure(*c)
                          and not re.fullmatch(r"[\dIVX.]+", self.text[slice(*c)])), None)  # fmt: skip
            if owner is not None and not _PART_ROW.match(self.text, *owner):
                return owner
        return None

    def _sibling_paragraph(self, index: int) -> Span | None:
        if index <= 0:
            return None
        para, before = self.seg.paragraphs[index], self.seg.paragraphs[index - 1]
        if before.is_heading or before.cells or para.is_heading:
            return None
        same = [h.span for h in para.headings] == [h.span for h in before.headings]
        return before.span if same else None

    def _prev_phrase(self, ctx: Context) -> list[Span]:
        """ "80.112 văn bản được ký số, đạt tỷ lệ 93,8%": the rate speaks of the phrase before it."""
        prev = self._previous_figure(ctx.fig)
        if prev is None or prev.start < ctx.clause[0]:
            return []
        between = self.text[prev.end : min(a for a, _ in ctx.pre) if ctx.pre else ctx.fig.start]
        if ";" in between or len(between) > 80:
            return []
        return [(max(ctx.clause[0], prev.start - 60), ctx.fig.start)]

    def _pair_noun(self, ctx: Context) -> list[Span]:
        """ "trực tuyến 436.565 hồ sơ, trực tiếp 16.043": a figure closing its item with no word
        after it counts what the figure of the item just before it counts."""
        fig = ctx.fig
        if not re.match(r"\s*(?:[.,;]|$)", self.text[fig.end : fig.end + 3]) or not ctx.pre:
            return []
        prev = self._previous_figure(fig)
        if prev is None or prev.start < ctx.clause[0]:
            return []
        between = self.text[prev.end : fig.start]
        m = re.match(r"\s*([^\W\d_][^,;.()\d]{0,30}),\s*([^\W\d_][^,;.()\d]{0,25})$", between)
        if m is None:
            return []
        return [(prev.end + m.start(1), prev.end + m.end(1))]

    def _table_scopes(self, para: Paragraph, fig: Figure) -> tuple[list[Span], Span, Span | None]:
        cells = para.cells
        idx = fig.cell or 0
        # a "Tổng cộng" row sums the rows above; the word names no act ("nâng tổng số")
        unit_col = para.unit_column  # the "ĐVT" cell is the unit slot's (scope unitcol), not a name
        pre = [
            piece
            for i, c in enumerate(cells[:idx])
            if i != unit_col and not self._has_figure(*c) and not _TOTAL_ROW.fullmatch(self.text[c[0] : c[1]])
            for piece in self._outside_parens(c)
        ]
        a, b = cells[idx]
        if a < fig.start:
            pre.append((a, fig.start))
        post_end = b
        # a unit column right after the figure ("1.062 | tỷ đồng") belongs to it
        if idx + 1 < len(cells) and not self._has_figure(*cells[idx + 1]):
            post_end = cells[idx + 1][1]
        # a column header ("Số thuê bao") names what the column counts
        header = para.table_header
        label = para.header_span(idx) if header and idx < len(header) and header[idx].strip() else None
        if label is not None:
            # the column header says what the cell counts as closely as words beside a number in
            # a sentence ("Hồ sơ tiếp nhận", "Trực tuyến", "Số dịch vụ" over "Mức độ 3 | 312 | ...")
            # and so does a label spanning it ("Số thuê bao điện thoại" over "Cố định | Di động")
            group = para.header_group(idx)
            pre = [label, *([group] if group else []), *pre]
        return pre, (fig.end, post_end), label

    def _outside_parens(self, span: Span) -> list[Span]:
        """A row label without its parentheses: "Thuê bao Internet băng rộng cố định (ADSL, FTTH)"
        counts the fixed broadband, the parenthesis only lists what it includes. A unit in
        parentheses ("(TB/100 dân)", "(%)") stays."""
        a, b = span
        pieces, start, depth, opened = [], a, 0, a
        for i in range(a, b):
            ch = self.text[i]
            if ch == "(":
                if depth == 0:
                    opened = i
                depth += 1
            elif ch == ")" and depth:
                depth -= 1
                if depth == 0 and not re.search(r"[/%]", self.text[opened:i]):
                    if opened > start:
                        pieces.append((start, opened))
                    start = i + 1
        if depth == 0 and start < b:
            pieces.append((start, b))
        return pieces or [span]

    def _columns_left(self, para: Paragraph, fig: Figure) -> list[list[Span]]:
        """The headers of the columns to the left, nearest first: a "Trực tuyến" column beside
        "Hồ sơ tiếp nhận" counts dossiers too (what is counted carries over; how does not)."""
        idx = fig.cell or 0
        spans = [(para.header_span(i), para.header_group(i)) for i in range(idx - 1, 0, -1)]
        return [[s, *([g] if g else [])] for s, g in spans if s is not None]

    def _next_figure(self, fig: Figure) -> Figure | None:
        i = bisect.bisect_right(self.fig_starts, fig.start)
        return self.figures[i] if i < len(self.figures) and self.figures[i].para == fig.para else None

    def _previous_figure(self, fig: Figure) -> Figure | None:
        i = bisect.bisect_left(self.fig_starts, fig.start) - 1
        while i >= 0 and self.figures[i].end > fig.start:
            i -= 1
        if i >= 0 and self.figures[i].para == fig.para:
            return self.figures[i]
        return None

    def _is_sibling(self, ctx: Context) -> bool:
        """True for a non-first item of a list of figures sharing one verb."""
        if ctx.para.cells:
            return False  # a table row's cells are its columns (periods, parts), no list of items
        first = min([a for a, _ in ctx.pre] + [ctx.fig.start])
        # "...; 3 danh sách và 4 tin con số;": a clause opening with a figure continues a list
        if ctx.clause[0] > ctx.sentence[0]:
            i = bisect.bisect_left(self.fig_starts, ctx.clause[0])
            if i < len(self.figures) and not self.text[ctx.clause[0] : self.figures[i].start].strip(
                " -+•*\t"
            ):
                return True
        if self.text[first : ctx.fig.start].strip().lower() not in ("", "và", "với"):
            return False
        prev = self._previous_figure(ctx.fig)
        if prev is None or prev.end < ctx.clause[0] - 2:
            return False
        between = self.text[prev.end : ctx.fig.start]
        if "(" in between or ")" in between or len(between) > 60:
            return False
        return "," in between or ";" in between or " và " in between

    def _elided(self, ctx: Context) -> list[Span]:
        """Words governing the previous clause when this clause opens with the figure."""
        first = min([a for a, _ in ctx.pre] + [ctx.fig.start])
        if self.text[ctx.clause[0] : first].strip(" -+•*\t") or ctx.clause[0] <= ctx.sentence[0]:
            return []
        if ctx.groups and ctx.groups[-1][0] < ctx.clause[0]:
            return []  # inside a parenthesis opened earlier: its owner governs
        prev = next(
            (c for c in reversed(ctx.para.clauses) if c[1] <= ctx.clause[0] and c[0] >= ctx.sentence[0]), None
        )
        if prev is None:
            return []
        i = bisect.bisect_left(self.fig_starts, prev[0])
        if i >= len(self.figures) or self.figures[i].start >= prev[1]:
            return []
        return [(prev[0], self.figures[i].start)]

    def spans_of(self, ctx: Context, scope: str) -> list[list[Span]]:
        """The sub-scopes of a scope, in the order they are consulted."""
        return _SCOPES[scope](ctx)

    # -- slots -----------------------------------------------------------------------------------

    def _unknown_noun_follows(self, ctx: Context) -> bool:
        """ "01 cổng chính", "02 đ/c học lớp": the figure counts a word no slot knows; a part counts
        the word after its whole ("đã phủ sóng được 2.164/2.481 thôn": villages)."""
        fig = ctx.fig
        right = self._right_edge(fig)
        m = re.match(r"\s*([^\W\d_]+)", self.text[right : min(ctx.post[1], right + 40)])
        if m is None or fig.kind != "count" or m.group(1).lower() in self.lex.no_noun_after:
            return False
        if re.match(r"\s*\[(?:…|\.\.\.)\]", self.text[right + m.end(1) : right + m.end(1) + 8]):
            return False  # "937 d […]": a word cut where the stored copy of a page has a gap
        pos = right + m.start(1)
        for name in self.lex.follower_slots:
            index = self.index[name]
            i = bisect.bisect_right(index.starts, pos) - 1
            if i >= 0 and index.matches[i][0] <= pos < index.matches[i][1]:
                return False
        return True

    def resolve(self, ctx: Context, slot: str, reach: tuple[str, ...]) -> tuple[frozenset[str], str | None]:
        """The values of ``slot`` mentioned nearest the figure in the first scope of ``reach``
        that mentions any, and that scope."""
        key = (slot, reach)
        if key in ctx.cache:
            return ctx.cache[key]
        spec = self.lex.slots[slot]
        result: tuple[frozenset[str], str | None] = (frozenset(), None)
        # option noun_after: "01 cổng chính", "02 đ/c học lớp": the figure counts a word no slot
        # knows, so this slot says nothing about it
        if not ("noun_after" in spec.options and self._unknown_noun_follows(ctx)):
            for scope in reach:
                found = self._found_in_scope(ctx, spec, scope)
                if found:
                    result = (found, scope)
                    break
        ctx.cache[key] = result
        return result

    def _found_in_scope(self, ctx: Context, spec: Slot, scope: str) -> frozenset[str] | None:
        for spans in self.spans_of(ctx, scope):
            if "label_head" in spec.options and scope == "pre":
                head = self._label_head(ctx, spec.name)
                if head is not None:
                    return frozenset([head[2]])
            cands = self._mentions(ctx, spec, scope, spans)
            if cands:
                return self._pick(ctx, spec, scope, cands)
        return None

    def _mentions(
        self, ctx: Context, spec: Slot, scope: str, spans: list[Span]
    ) -> list[tuple[int, int, str]]:
        """The slot's mentions in ``spans`` that may name what the figure counts."""
        index, fig = self.index[spec.name], ctx.fig
        cands = [m for a, b in spans for m in index.overlapping(a, b)]
        if scope in ("clause", "sentence", "para"):
            cands = [m for m in cands if not any(g[0] <= m[0] and m[1] <= g[1] + 1 for g in ctx.excluded)]
            cands = self._before_parts(ctx, cands)
            kinds = self._phrase_kinds(ctx, spec)
            if kinds:
                cands = [m for m in cands if not self._in_other_figures_phrase(ctx, m, kinds)]
            if ctx.fig.kind == "percent":
                cands = [m for m in cands if not self._in_next_rates_phrase(ctx, m)]
        # a mention overlapping the number itself ("mức độ 3") is not context
        cands = [m for m in cands if m[1] <= fig.start or m[0] >= fig.end]
        cands = self._own_figures(fig, spec, scope, cands)
        if scope == "post":
            cands = [(m[0], m[1], self._echoed_value(ctx, index, m) or m[2]) for m in cands]
        if spec.adjacent is not None and scope in ("post", "here"):
            right = self._noun_start(fig)
            after = self.text[right : right + 40]
            gap_start = right + len(after) - len(after.lstrip())
            cands = [m for m in cands if m[1] <= fig.start or m[0] - gap_start <= spec.adjacent]
        return cands

    def _own_figures(
        self, fig: Figure, spec: Slot, scope: str, cands: list[tuple[int, int, str]]
    ) -> list[tuple[int, int, str]]:
        """Option own_figure: the mentions that lead into another figure are that figure's."""
        if "own_figure" not in spec.options or scope not in _OWN_FIGURE_SCOPES:
            return cands
        return [m for m in cands if not self._leads_into_other_figure(fig, m)]

    def _leads_into_other_figure(self, fig: Figure, m: tuple[int, int, str]) -> bool:
        """The mention leads straight into a number other than ``fig`` ("xếp vị trí 20/63 với tổng
        điểm là 0,4626": the rank is the 20's; "157 đại lý với bán kính phục vụ bình quân là 2,15
        km": the radius is the 2,15's)."""
        j = bisect.bisect_left(self.fig_starts, m[1])
        if j >= len(self.figures) or self.figures[j] is fig:
            return False
        return _LEAD_IN.fullmatch(self.text, m[1], self.figures[j].start) is not None

    def _phrase_kinds(self, ctx: Context, spec: Slot) -> tuple[str, ...]:
        """The kinds of figures whose own words keep the slot's mentions (options other_phrase and
        share_phrase); a parenthesis, "trên 30% dịch vụ công mức độ 4 … (đạt 37,8%)", restates the
        figure before it, whose words are its own."""
        kinds: tuple[str, ...] = ("count",) if "other_phrase" in spec.options else ()
        if "share_phrase" in spec.options and not any(self.text[g[0]] == "(" for g in ctx.groups):
            kinds += ("percent",)
        return kinds

    def _in_other_figures_phrase(
        self, ctx: Context, m: tuple[int, int, str], kinds: tuple[str, ...] = ("count",)
    ) -> bool:
        """The mention lies among the words right after another figure of ``kinds`` (its own
        phrase): after a count (option other_phrase); after a share (option share_phrase: "50,77%
        TTHC cung cấp DVCTT toàn trình" is that share's level), whose words otherwise name the
        clause's subject ("100% cấp xã thành lập tổ … với 1.744 thành viên")."""
        j = bisect.bisect_right(self.fig_starts, m[0]) - 1
        if j < 0:
            return False
        other = self.figures[j]
        if other is ctx.fig or other.kind not in kinds or other.end > m[0] or other.start < ctx.sentence[0]:
            return False
        return m[1] <= self.scan_right(other.end, ctx.sentence[1], ctx.para)[1]

    def _in_next_rates_phrase(self, ctx: Context, m: tuple[int, int, str]) -> bool:
        """Two rates in a row, "tỷ lệ hồ sơ trực tuyến đạt 82%, tỷ lệ hồ sơ có giao dịch thanh toán
        trực tuyến đạt trên 90%": a rate is bound to the phrase before it, so the words between the
        comma after a rate and the next rate are the next one's, not the first's."""
        fig = ctx.fig
        if m[0] < fig.end:
            return False
        j = bisect.bisect_left(self.fig_starts, m[1])
        if j >= len(self.figures) or self.figures[j].start >= ctx.sentence[1]:
            return False
        other = self.figures[j]
        if other.kind != "percent" or self._has_figure(fig.end, m[0]):
            return False
        start = min((a for a, _ in self.scan_left(other.start, ctx.sentence[0], ctx.para)), default=other.start)
        return fig.end <= start <= m[0]

    def _echoed_value(self, ctx: Context, index: SlotIndex, m: tuple[int, int, str]) -> str | None:
        """ "Tổng số điểm phục vụ bưu chính là 213 điểm": one word after the figure that repeats
        the head of the thing named before it in the sentence is its unit; it counts that thing."""
        word = self.text[m[0] : m[1]].lower()
        # "2,35 km/điểm" names the unit of a rate, not an echo
        if " " in word or self.text[ctx.fig.end : m[0]].strip():
            return None
        echoed = [
            p
            for p in index.overlapping(ctx.sentence[0], ctx.fig.start)
            if p[1] <= ctx.fig.start and self.text[p[0] : p[1]].lower().startswith(word + " ")
        ]
        return echoed[-1][2] if echoed else None

    def _before_parts(self, ctx: Context, cands: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
        """ "2.006.864 thuê bao trong đó thuê bao cố định 39.236 …": the words of the parts after
        the figure say nothing of the whole."""
        parts = _BREAKDOWN.search(self.text, ctx.fig.end, ctx.sentence[1])
        return cands if parts is None else [m for m in cands if m[0] < parts.start()]

    def _pick(
        self, ctx: Context, spec: Slot, scope: str, cands: list[tuple[int, int, str]]
    ) -> frozenset[str]:
        if scope in SET_SCOPES:
            return frozenset(m[2] for m in cands)
        if "head_noun" in spec.options and ctx.para.cells and scope in ("pre", "here"):
            return frozenset([self._head_noun(ctx, cands)[2]])
        right = self._right_edge(ctx.fig)
        best = min(cands, key=lambda m: (self._distance(ctx.fig, m, right), -(m[1] - m[0])))
        return frozenset([best[2]])

    def _head_noun(self, ctx: Context, cands: list[tuple[int, int, str]]) -> tuple[int, int, str]:
        """In a table the nearest cell names what is counted, and in that cell the first noun:
        "Văn bản điện tử đi trên hệ thống QLVB" counts documents, not systems."""
        right = self._right_edge(ctx.fig)
        nearest = min(cands, key=lambda m: (self._distance(ctx.fig, m, right), -(m[1] - m[0])))
        cell = next(((a, b) for a, b in ctx.para.cells if a <= nearest[0] < b), None)
        if cell is None:
            return nearest
        return min((m for m in cands if cell[0] <= m[0] < cell[1]), key=lambda m: (m[0], -(m[1] - m[0])))

    def _label_head(self, ctx: Context, slot: str) -> tuple[int, int, str] | None:
        """ "– Hồ sơ TTHC trả kết quả qua dịch vụ BCCI: 31 245": a figure right after its line's
        label counts the label's first noun, as a table row's does, however the label's commas
        and "và" cut the words just before the figure."""
        label = ctx.label
        if (
            label is None
            or ctx.para.cells
            or not re.fullmatch(r"[\s:]*", self.text[label[1] : ctx.fig.num_start])
        ):
            return None
        inside = [m for m in self.index[slot].overlapping(*label) if label[0] <= m[0]]
        return min(inside, key=lambda m: (m[0], -(m[1] - m[0]))) if inside else None

    def _noun_start(self, fig: Figure) -> int:
        """Where the noun a figure counts is looked for: after the whole of "90.677/117.370 hồ sơ"
        or the total of "1.579 trong tổng số 1.937 dịch vụ", else right after the number."""
        return self._right_edge(fig) if fig.ratio in ("part", "part_of") else fig.end

    def _right_edge(self, fig: Figure) -> int:
        """Where the words after a number begin: after the whole of "126/126 xã", for its part."""
        whole = self._whole_of(fig)
        return whole.end if whole is not None else fig.end

    def _whole_of(self, fig: Figure) -> Figure | None:
        """The whole a part is of: "126/126 xã", "1.579 trong tổng số 1.937 dịch vụ"."""
        if fig.ratio not in ("part", "part_of"):
            return None
        whole = self._next_figure(fig)
        if whole is not None and (whole.ratio == "whole" or fig.ratio == "part_of"):
            return whole
        return None

    @staticmethod
    def _distance(fig: Figure, m: tuple[int, int, str], right: int) -> int:
        if m[1] <= fig.start:
            return fig.start - m[1]
        return m[0] - right + RIGHT_PENALTY

    # -- indicators --------------------------------------------------------------------------------

    def _rule_score(self, ctx: Context, rule: Rule) -> float | None:
        # "119/143 đài ...": the whole only counts for an indicator that asks for it
        if ctx.fig.ratio == "whole" and "ratio" not in rule.need:
            return None
        score = 0.0
        for slot, values in rule.need.items():
            if slot == "ratio":
                if ctx.fig.ratio not in values:
                    return None
                score += SCOPE_WEIGHT["ratio"]
                continue
            reach = rule.reach.get(slot) or self.lex.slots[slot].reach
            got, scope = self.resolve(ctx, slot, reach)
            if not (got & values):
                return None
            score += SCOPE_WEIGHT.get(scope or "", 0.5)
        for slot, forbidden in rule.forbid.items():
            if slot == "ratio":
                if ctx.fig.ratio is not None:
                    return None
                continue
            reach = rule.reach.get(slot) or self.lex.slots[slot].reach
            got, _ = self.resolve(ctx, slot, reach)
            if got and (forbidden is None or got & forbidden):
                return None
        return score

    def candidates(self, ctx: Context) -> list[tuple[int, float, str, int]]:
        """(specificity, score, indicator code, index of its lexicon rule) of every indicator
        that fits, best first."""
        out = []
        for ind in self.lex.indicators.values():
            # (a density written as a share of its base, in a sentence: a table's % column compares)
            also = ctx.fig.kind == "percent" and not ctx.para.cells and (ind.also_percent or _slip(ind, ctx.fig))
            if ind.value != ctx.fig.kind and not also:
                continue
            if ind.total and ctx.sibling:
                continue
            best: tuple[int, float] | None = None
            best_rule = 0
            for i, rule in enumerate(ind.rules):
                s = self._rule_score(ctx, rule)
                if s is not None:
                    cand = (len(rule.need), s)
                    if best is None or cand > best:
                        best, best_rule = cand, i
            if best is not None:
                out.append((best[0], best[1], ind.code, best_rule))
        out.sort(key=lambda t: (-t[0], -t[1], t[2]))
        return out

    def match(self, ctx: Context) -> Indicator | None:
        return self.match_entry(ctx)[0]

    def match_entry(self, ctx: Context) -> tuple[Indicator | None, str]:
        """The indicator that fits best and its lexicon entry ("code", or "code rules[i]" where
        the indicator lists several); (None, "") when none fits or two fit equally well."""
        cands = self.candidates(ctx)
        if not cands:
            return None, ""
        if len(cands) > 1 and cands[0][:2] == cands[1][:2]:
            return None, ""  # two readings fit equally well: leave the figure out
        indicator = self.lex.indicators[cands[0][2]]
        entry = indicator.code if len(indicator.rules) == 1 else f"{indicator.code} rules[{cands[0][3]}]"
        return indicator, entry


def _slip(ind: Indicator, fig: Figure) -> bool:
    """A share under 1% where the indicator's value is a fraction of one (``percent_slip``)."""
    return ind.percent_slip and fig.value < 1


def _para_before(ctx: Context) -> list[list[Span]]:
    return [[(ctx.para.span[0], ctx.sentence[0])]] if ctx.sentence[0] > ctx.para.span[0] else []


def _columns_together(c: Context) -> list[list[Span]]:
    """A table cell's column headers to its left as one span: "Toàn trình | Một phần | Tổng số"."""
    spans = [s for sub in c.columns for s in sub]
    return [[(min(a for a, _ in spans), max(b for _, b in spans))]] if spans else []


def _one(span: Span | None) -> list[list[Span]]:
    return [[span]] if span else []


# scope name -> its sub-scopes for one figure (the scopes are described at the top of this module)
_SCOPES: dict[str, Callable[[Context], list[list[Span]]]] = {
    "pre": lambda c: [c.pre],
    "post": lambda c: [[c.post]],
    "here": lambda c: [[*c.pre, c.post]],
    "owner": lambda c: c.owners,
    "columns": lambda c: c.columns,
    "unitcol": lambda c: c.unit_cell,
    "elided": lambda c: [c.elided] if c.elided else [],
    "prev": lambda c: [c.prev] if c.prev else [],
    "rest": lambda c: _columns_together(c) if c.para.cells else [[(c.fig.end, c.sentence[1])]],
    "pair": lambda c: [c.pair] if c.pair else [],
    "clause": lambda c: [[c.clause]],
    "sentence": lambda c: [[c.sentence]],
    "label": lambda c: _one(c.label),
    "lead": lambda c: _one(c.lead),
    "para": _para_before,
    "sib": lambda c: _one(c.sib),
    "head": lambda c: [[h] for h in c.heads],
}
