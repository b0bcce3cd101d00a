"""Load lexicon.yaml: the phrasings that tie figures to catalog indicators.

The YAML is data a newcomer edits; this module only compiles it.  Phrases
are regular expressions matched case-insensitively on whole words, and a
space in a phrase matches any run of white space (reports wrap lines and
double spaces).  See the comments at the top of lexicon.yaml for the model.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .errors import ExtractionError

LEXICON_PATH = Path(__file__).with_name("lexicon.yaml")
# The indicator catalog the codes come from; only its "kind" column (flow/stock/rate) is read here.
CATALOG_PATH = Path(__file__).resolve().parents[1] / "catalog" / "data" / "indicators.csv"

SCOPES = (
    "pre",
    "post",
    "here",
    "owner",
    "columns",
    "unitcol",
    "elided",
    "pair",
    "prev",
    "rest",
    "clause",
    "sentence",
    "label",
    "lead",
    "para",
    "sib",
    "head",
)
# Scopes where the whole span counts at once (a heading names one subject); elsewhere the nearest mention wins.
SET_SCOPES = frozenset({"label", "lead", "head"})
VALUE_KINDS = ("count", "percent", "money")
# Options a slot may declare (lexicon.yaml, slots.<name>.options):
#   noun_after  a count followed by a word no follower slot knows counts that word: the slot
#               says nothing ("01 cổng chính")
#   label_head  a figure right after its line's label takes the label's first mention
#               ("– Hồ sơ TTHC trả kết quả qua dịch vụ BCCI: 31 245")
#   head_noun   in a table row, the first mention in the nearest cell ("Văn bản điện tử đi
#               trên hệ thống QLVB" counts documents, not systems)
#   other_phrase  in the clause, sentence or paragraph, a mention among the words right after
#               another figure qualifies that figure ("138 tổ cấp xã, 1.733 tổ thôn với tổng số
#               10.257 thành viên": "cấp xã" is the 138 teams', not the members')
#   share_phrase  the same for the words after a share (outside a parenthesis): "50,77% TTHC cung
#               cấp DVCTT toàn trình, tỷ lệ hồ sơ nộp trực tuyến đạt 65,75%": the 50,77%'s level
#   own_figure  a mention leading straight into a number ("xếp thứ 20", "bán kính phục vụ bình quân
#               là 2,15") is that number's alone: it says nothing of another figure before or after
#               it ("xếp vị trí 20/63 với tổng điểm là 0,4626 điểm": the 0,4626 is no rank)
SLOT_OPTIONS = frozenset({"noun_after", "label_head", "head_noun", "other_phrase", "share_phrase", "own_figure"})


def phrase(pattern: str, aside: str = "") -> str:
    """A lexicon phrase as a regex: spaces match any white space, whole words only."""
    body = _spaces(pattern, aside)
    # \b (not a look-behind) lets the regex engine reject mid-word positions fast
    start = r"\b" if re.match(r"[\w(]", pattern.strip()) else r"(?<!\w)"
    return rf"{start}(?:{body})(?!\w)"


def _spaces(pattern: str, aside: str = "") -> str:
    """' ?' is an optional space, any other run of spaces one or more white space characters
    other than a tab: a tab separates table cells, and a phrase never runs from one cell into
    the next ("Hồ sơ tiếp nhận | Trực tuyến" is no "tiếp nhận trực tuyến").  ``aside`` (the
    lexicon's `aside_in_phrase`, for slot values) may stand between two words of a phrase:
    "13 cơ sở dữ liệu (CSDL) dùng chung" is a "cơ sở dữ liệu dùng chung"."""
    space = r"[^\S\t]+"
    if aside:
        space = rf"(?:{space}(?:{aside}))?{space}"
    return re.sub(r" +", lambda _m: space, re.sub(r" \?", r"[^\\S\t]*", pattern.strip()))


def _body(pattern: str, aside: str = "") -> str:
    return "(?:" + _spaces(pattern, aside) + ")"


def compile_phrases(patterns: list[str], where: str, aside: str = "") -> re.Pattern[str]:
    try:
        return re.compile("|".join(phrase(p, aside) for p in patterns) or r"(?!x)x", re.IGNORECASE)
    except re.error as exc:
        raise ExtractionError(f"lexicon.yaml: bad pattern in {where}: {exc}") from None


@dataclass
class Slot:
    name: str
    reach: tuple[str, ...]
    values: dict[str, re.Pattern[str]]
    # all values in one pattern, group "v<i>" for the i-th value: one pass over the text
    combined: re.Pattern[str] | None = None
    group_values: tuple[str, ...] = ()
    # in the post scope only a mention starting this close to the number counts
    # ("02 đ/c học lớp ...": the counted noun is "đ/c", not "lớp")
    adjacent: int | None = None
    # what the slot does besides "the nearest mention" (SLOT_OPTIONS)
    options: frozenset[str] = frozenset()


@dataclass
class Rule:
    need: dict[str, frozenset[str]]
    forbid: dict[str, frozenset[str] | None]  # None = any value
    reach: dict[str, tuple[str, ...]]


@dataclass
class Indicator:
    code: str
    value: str
    rules: list[Rule]
    total: bool = False
    stock: bool = False  # a level at a date (catalog kind "stock"), not a flow over the period
    flow: bool = False  # what happened over the period (catalog kind "flow")
    period_pattern: re.Pattern[str] | None = None
    period_scope: str = "sentence"
    # the year the catalog's series starts (its valid_from): a report of an earlier year cannot
    # speak of it ("45 dịch vụ có phát sinh hồ sơ" in 2020 is no series of Nghị định 42/2022)
    first_year: int | None = None
    # the code a figure of a year before the series starts reads as instead ("1.498 thủ tục
    # hành chính được cung cấp trực tuyến" in 2019, levels 1 to 4, is all the online services)
    before_series: str | None = None
    # a percent figure may also be read ("số thuê bao … trên 100 dân đạt tỷ lệ 26%": a density per
    # 100 people, the same number written as a share; the rules still need the density's base)
    also_percent: bool = False
    # a fraction of one written with a % sign by a slip ("Chỉ số chuyển đổi số cấp tỉnh đạt
    # 0,71%"): read as the index's value it is, and flagged implausible as written
    percent_slip: bool = False


@dataclass
class Lexicon:
    spelling: list[tuple[str, str]]
    glue: re.Pattern[str]
    not_figure_before: re.Pattern[str]
    not_figure_after: re.Pattern[str]
    skip_pre: re.Pattern[str]
    skip_post: re.Pattern[str]
    skip_post_percent: re.Pattern[str]
    skip_headings: re.Pattern[str]
    skip_columns: re.Pattern[str]
    slots: dict[str, Slot]
    indicators: dict[str, Indicator]
    target_headings: re.Pattern[str]
    target_markers: re.Pattern[str]
    approx_context: re.Pattern[str]
    comparison: re.Pattern[str]
    comparison_group: re.Pattern[str]
    period_words: dict[str, re.Pattern[str]]
    provinces: list[str]
    checks: list[tuple[str, str, str]] = field(default_factory=list)
    follower_slots: tuple[str, ...] = ()
    no_noun_after: frozenset[str] = frozenset()
    # "nâng tổng số ... lên", "lũy kế": the figure is the level, not what changed in the period
    stock_markers: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    # a plan-completion percentage that IS the indicator ("giải ngân ..., đạt 80,82% kế hoạch")
    keep_plan_percent: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    # "không có đơn khiếu nại, tố cáo": one zero for each kind of the list
    shared_zero: dict[str, str] = field(default_factory=dict)
    # "tích hợp 100% dịch vụ … (1.935 dịch vụ)": the count restating a full share's whole is its part too
    full_share: dict[str, str] = field(default_factory=dict)
    score_points: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))
    score_points_unless: re.Pattern[str] = field(default_factory=lambda: re.compile(r"(?!x)x"))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _rule(data: dict[str, Any], code: str, slots: dict[str, Slot]) -> Rule:
    need = {k: frozenset(_as_list(v)) for k, v in (data.get("need") or {}).items()}
    forbid: dict[str, frozenset[str] | None] = {}
    raw_forbid = data.get("forbid") or {}
    if isinstance(raw_forbid, list):
        raw_forbid = {k: "any" for k in raw_forbid}
    for k, v in raw_forbid.items():
        forbid[k] = None if v == "any" else frozenset(_as_list(v))
    reach = {k: tuple(_as_list(v)) for k, v in (data.get("reach") or {}).items()}
    for name in [*need, *forbid, *reach]:
        if name not in slots and name != "ratio":
            raise ExtractionError(f"lexicon.yaml: indicator {code} uses unknown slot {name!r}")
    for name, values in need.items():
        if name == "ratio":
            continue
        unknown = values - set(slots[name].values)
        if unknown:
            raise ExtractionError(
                f"lexicon.yaml: indicator {code} needs unknown {name} value(s) {sorted(unknown)}"
            )
    for name, scopes in reach.items():
        bad = set(scopes) - set(SCOPES)
        if bad:
            raise ExtractionError(
                f"lexicon.yaml: indicator {code} reach for {name} has unknown scope(s) {sorted(bad)}"
            )
    return Rule(need=need, forbid=forbid, reach=reach)


def catalog_kinds(path: Path | None = None) -> dict[str, str]:
    """code -> flow/stock/rate from the catalog CSV; empty when the catalog is not there."""
    try:
        with (path or CATALOG_PATH).open(encoding="utf-8", newline="") as fh:
            return {row["code"]: row.get("kind", "") for row in csv.DictReader(fh) if row.get("code")}
    except OSError:
        return {}


def _slot(name: str, sd: dict[str, Any], aside: str = "") -> Slot:
    reach = tuple(_as_list(sd.get("reach")))
    bad = set(reach) - set(SCOPES)
    if bad:
        raise ExtractionError(f"lexicon.yaml: slot {name} has unknown scope(s) {sorted(bad)}")
    options = frozenset(_as_list(sd.get("options")))
    if options - SLOT_OPTIONS:
        raise ExtractionError(
            f"lexicon.yaml: slot {name} has unknown option(s) {sorted(options - SLOT_OPTIONS)}"
        )
    raw_values = {str(v): _as_list(p) for v, p in (sd.get("values") or {}).items()}
    values = {v: compile_phrases(p, f"slot {name}.{v}", aside) for v, p in raw_values.items()}
    names = tuple(raw_values)
    # one leading \b for the whole alternation: mid-word positions fail at once
    combined = re.compile(
        r"\b(?:"
        + "|".join(
            f"(?P<v{i}>" + "|".join(_body(p, aside) for p in raw_values[v]) + r")(?!\w)" for i, v in enumerate(names)
        )
        + ")",
        re.IGNORECASE,
    )
    return Slot(name, reach, values, combined, names, sd.get("adjacent"), options)


def catalog_first_years(path: Path | None = None) -> dict[str, int]:
    """code -> the year of its valid_from, for the catalog's series that start at a date."""
    try:
        with (path or CATALOG_PATH).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError:
        return {}
    return {
        row["code"]: int(row["valid_from"][:4])
        for row in rows
        if row.get("code") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", row.get("valid_from") or "")
    }


def _indicator(
    code: str,
    idata: dict[str, Any] | None,
    slots: dict[str, Slot],
    kinds: dict[str, str],
    first_years: dict[str, int] | None = None,
) -> Indicator:
    idata = idata or {}
    kind = idata.get("value", "count")
    if kind not in VALUE_KINDS:
        raise ExtractionError(f"lexicon.yaml: indicator {code} has unknown value kind {kind!r}")
    rules = [_rule(r, code, slots) for r in idata.get("rules") or [idata]]
    period = idata.get("period") or {}
    return Indicator(
        code=code,
        value=kind,
        rules=rules,
        total=bool(idata.get("total", False)),
        stock=kinds.get(code) == "stock",
        flow=kinds.get(code) == "flow",
        period_pattern=re.compile(period["pattern"], re.IGNORECASE) if period.get("pattern") else None,
        period_scope=period.get("scope", "sentence"),
        first_year=(first_years or {}).get(code),
        before_series=idata.get("before_series"),
        also_percent=bool(idata.get("also_percent", False)) and kind == "count",
        percent_slip=bool(idata.get("percent_slip", False)) and kind == "count",
    )


def _checks(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    checks = []
    for check in data.get("checks") or []:
        m = re.fullmatch(r"\s*([\w.]+)\s*(<=|>=|<|>)\s*([\w.]+)\s*", check)
        if not m:
            raise ExtractionError(f"lexicon.yaml: bad check {check!r}")
        checks.append((m.group(1), m.group(2), m.group(3)))
    return checks


def _alternatives(patterns: list[str], before: str, after: str) -> re.Pattern[str]:
    """Raw regexes (not phrases) as one pattern between ``before`` and ``after``."""
    return re.compile(before + "(?:" + "|".join(patterns or ["(?!x)x"]) + ")" + after, re.IGNORECASE)


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractionError(f"{path.name}: cannot read lexicon: {exc}") from None
    return data if isinstance(data, dict) else {}


def read_lexicon_data(path: Path | None = None) -> dict[str, Any]:
    """The lexicon file as data (a province overlay is merged into it before compiling)."""
    return _read_yaml(path or LEXICON_PATH)


def load_lexicon(path: Path | None = None) -> Lexicon:
    return lexicon_from_data(_read_yaml(path or LEXICON_PATH))


def lexicon_from_data(data: dict[str, Any]) -> Lexicon:
    aside = str(data.get("aside_in_phrase") or "")
    slots = {name: _slot(name, sd, aside) for name, sd in (data.get("slots") or {}).items()}
    kinds = catalog_kinds()
    first_years = catalog_first_years()
    indicators = {
        code: _indicator(code, idata, slots, kinds, first_years) for code, idata in (data.get("indicators") or {}).items()
    }
    nf = data.get("not_figures") or {}
    skip = data.get("skip") or {}
    target = data.get("target") or {}
    return Lexicon(
        spelling=[(str(src), str(dst)) for src, dst in data.get("spelling") or []],
        glue=compile_phrases(_as_list(data.get("glue")), "glue"),
        not_figure_before=re.compile(
            r"(?<!\w)(?:" + "|".join(_as_list(nf.get("before"))) + r")\s*$", re.IGNORECASE
        ),
        not_figure_after=re.compile(
            r"\s*(?:" + "|".join(_as_list(nf.get("after"))) + r")(?!\w)", re.IGNORECASE
        ),
        skip_pre=re.compile(
            r"(?<!\w)(?:" + "|".join(_as_list(skip.get("pre_end"))) + r")\s*$", re.IGNORECASE
        ),
        skip_post=re.compile(r"\s*(?:" + "|".join(_as_list(skip.get("post_start"))) + r")", re.IGNORECASE),
        skip_post_percent=_alternatives(_as_list(skip.get("post_start_percent")), r"\s*", ""),
        skip_headings=compile_phrases(_as_list(skip.get("headings")), "skip.headings"),
        skip_columns=compile_phrases(_as_list(skip.get("table_columns")), "skip.table_columns"),
        slots=slots,
        indicators=indicators,
        target_headings=compile_phrases(_as_list(target.get("headings")), "target.headings"),
        target_markers=compile_phrases(_as_list(target.get("markers")), "target.markers"),
        approx_context=compile_phrases(_as_list(data.get("approx_context")), "approx_context"),
        comparison=re.compile(str(data.get("comparison", r"(?!x)x")), re.IGNORECASE),
        comparison_group=re.compile(str(data.get("comparison_group", r"(?!x)x")), re.IGNORECASE),
        period_words={
            k: compile_phrases(_as_list(v), f"period_words.{k}")
            for k, v in (data.get("period_words") or {}).items()
        },
        provinces=_as_list(data.get("provinces")),
        checks=_checks(data),
        follower_slots=tuple(_as_list(data.get("follower_slots"))),
        no_noun_after=frozenset(str(w).lower() for w in _as_list(data.get("no_noun_after"))),
        stock_markers=compile_phrases(_as_list(data.get("stock_markers")), "stock_markers"),
        keep_plan_percent=compile_phrases(_as_list(skip.get("keep_plan_percent")), "skip.keep_plan_percent"),
        shared_zero={str(k): str(v) for k, v in (data.get("shared_zero") or {}).items()},
        full_share={str(k): str(v) for k, v in (data.get("full_share") or {}).items()},
        score_points=_alternatives(_as_list(skip.get("score_points")), r"\s*", ""),
        score_points_unless=compile_phrases(
            _as_list(skip.get("score_points_unless")), "skip.score_points_unless"
        ),
    )


@lru_cache(maxsize=4)
def default_lexicon() -> Lexicon:
    return load_lexicon(LEXICON_PATH)
