"""Which province a text is from: the signs of rules/places.yaml, read here.

A sign holds a province's name ("Sở TT&TT tỉnh Bến Tre"), its name as a web address writes it
("laocaitv.vn"), its newspaper's masthead code ("(GLO) -") or one of its districts ("huyện Đồng
Hỷ"); each gives its province the sign's weight, and the province with most points wins.  The
districts come from the orgunits app's data file (read as a file: this module stays pure).
"""

from __future__ import annotations

import csv
import gzip
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from baocao.extraction.errors import ExtractionError

PLACES_RULES = Path(__file__).parent / "rules" / "places.yaml"


def plain(name: str) -> str:
    """ "Lào Cai" → "laocai": the name run together without tone marks, as addresses write it."""
    text = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c)).lower()


def _loose(name: str) -> str:
    """One key for "Bà Rịa - Vũng Tàu", "Bà Rịa-Vũng Tàu" and "BÀ RỊA – VŨNG TÀU"."""
    name = unicodedata.normalize("NFC", name)
    return " ".join(re.sub(r"\s*[-–]\s*", " - ", name).split()).casefold()


def _initials(name: str) -> str:
    """ "Gia Lai" → "GL", "Lâm Đồng" → "LĐ", "Bà Rịa - Vũng Tàu" → "BRVT"."""
    return "".join(w[0].upper() for w in re.findall(r"\w+", name))


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of the words, longest first, spaces and dashes loose."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(
        re.sub(r"(?:\\ )*(?:\\-|–)(?:\\ )*", r"\\s*[-–]\\s*", re.escape(w)).replace(r"\ ", r"\s+")
        for w in ordered
    )


@dataclass(frozen=True)
class Sign:
    id: str
    pattern: re.Pattern[str]
    weight: float
    head_chars: int | None
    examples: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Places:
    """The signs, compiled for one list of province names, and the lookups of their groups."""

    signs: tuple[Sign, ...]
    names: dict[str, str]  # loose key of a name or an alias → the province
    addresses: dict[str, str]
    mastheads: dict[str, str]
    districts: dict[str, str]
    not_provinces: frozenset[str]
    fallback: re.Pattern[str]
    # since the 2025 merger: an old province → the province it joined, and from which day
    successors: dict[str, str]
    merged_on: date | None

    def province_of(self, m: re.Match[str]) -> str | None:
        groups = m.groupdict()
        if groups.get("province"):
            return self.names.get(_loose(groups["province"]))
        if groups.get("address"):
            return self.addresses.get(groups["address"].lower())
        code = groups.get("masthead") or groups.get("paper") or groups.get("bare")
        if code:
            token = re.sub(r"\W", "", groups["token"]).upper()
            return None if token in self.not_provinces else self.mastheads.get(code)
        if groups.get("district"):
            return self.districts.get(_loose(groups["district"]))
        return None


def _read_rules() -> dict[str, Any]:
    try:
        data = yaml.safe_load(PLACES_RULES.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractionError(f"{PLACES_RULES.name}: cannot read: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("signs"), list):
        raise ExtractionError(f"{PLACES_RULES.name}: needs a list `signs:`")
    return data


def _unique(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """key → province, keys two provinces share left out."""
    seen: dict[str, set[str]] = {}
    for key, province in pairs:
        seen.setdefault(key, set()).add(province)
    return {key: next(iter(p)) for key, p in seen.items() if len(p) == 1}


def _district_rows(path: Path) -> list[tuple[str, str]]:
    """(district name, its province's name) of every district of the data file."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise ExtractionError(f"{PLACES_RULES.name}: districts: cannot read {path}: {exc}") from None
    provinces = {r["gso_code"]: r["name"] for r in rows if r["level"] == "province"}
    return [(r["name"], provinces[r["parent_gso_code"]]) for r in rows if r["level"] == "district"]


def _districts(data: dict[str, Any], names: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The district names as written, and district (loose key) → province (as the lexicon names
    it), for names of one province only and no province's own name."""
    spec = data.get("districts") or {}
    if not spec.get("file"):
        return [], {}
    by_plain = {plain(n): p for n, p in names.items()}
    rows = _district_rows((PLACES_RULES.parent / spec["file"]).resolve())
    table = _unique((_loose(d), by_plain.get(plain(p), p)) for d, p in rows)
    table = {d: p for d, p in table.items() if d not in names}
    return [d for d, _ in rows if _loose(d) in table], table


@lru_cache(maxsize=8)
def places(provinces: tuple[str, ...]) -> Places:
    """The rules of rules/places.yaml for these province names (lexicon.yaml's `provinces`)."""
    data = _read_rules()
    # one province per loose key ("Bà Rịa - Vũng Tàu", "Bà Rịa – Vũng Tàu": the last listed)
    by_loose = {_loose(p): p for p in provinces}
    groups: dict[str, list[str]] = {}
    for p in provinces:
        groups.setdefault(by_loose[_loose(p)], []).append(p)
    for province, others in (data.get("aliases") or {}).items():
        target = by_loose.get(_loose(province), province)
        groups.setdefault(target, [target]).extend(others)
    names = {_loose(s): province for province, spellings in groups.items() for s in spellings}
    addresses = _unique((plain(s), p) for p, spellings in groups.items() for s in spellings)
    mastheads = _unique((_initials(p), p) for p in groups if len(_initials(p)) >= 2)
    written, districts = _districts(data, {_loose(p): p for p in provinces})
    slots = {
        "province": f"(?P<province>{_alternation(s for v in groups.values() for s in v)})(?!\\w)",
        # another province's name beside the one a sign gives points to (a list of provinces)
        "other_province": f"(?:{_alternation(s for v in groups.values() for s in v)})(?!\\w)",
        "address": f"(?P<address>{_alternation(addresses)})",
        # "GLO", "QBĐT", "LĐ online"; "(BBK)": "B" (báo) and the initials in parentheses; "(BĐ)": the
        # initials alone in parentheses
        "masthead": (
            f"(?P<token>(?-i:B?(?P<masthead>{_alternation(mastheads)})(?:O|ĐT|ĐTO|\\s*[Oo]nline|\\s*ONLINE)"
            f"|(?<=\\()B(?P<paper>{_alternation(mastheads)})(?=\\))"
            f"|(?<=\\()(?P<bare>{_alternation(mastheads)})(?=\\))))"
        ),
        "district": f"(?-i:(?P<district>{_alternation(written)}))(?!\\w)",
    }
    defs = {**(data.get("defs") or {}), **slots}
    signs = tuple(_sign(r, defs) for r in data["signs"])
    fallback = re.compile(_expand(str(data.get("fallback", "(?!)")), defs))
    not_provinces = frozenset(str(c).upper() for c in (data.get("mastheads") or {}).get("not_provinces", ()))
    merged_on, successors = _successors(data, {plain(p): p for p in groups})
    return Places(
        signs, names, addresses, mastheads, districts, not_provinces, fallback, successors, merged_on
    )


def _successors(data: dict[str, Any], by_plain: dict[str, str]) -> tuple[date | None, dict[str, str]]:
    """The day the 63 provinces became 34, and old province → new one (names as the lexicon's)."""
    spec = data.get("successors") or {}
    if not spec.get("file"):
        return None, {}
    path = (PLACES_RULES.parent / spec["file"]).resolve()
    try:
        mergers = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractionError(f"{PLACES_RULES.name}: successors: cannot read {path}: {exc}") from None
    table = {}
    for new in mergers["provinces"]:
        target = by_plain.get(plain(new["name"]), new["name"])
        for old in new["from"].values():
            if plain(old) != plain(new["name"]):
                table[by_plain.get(plain(old), old)] = target
    return mergers["effective"], table


def _expand(pattern: str, defs: dict[str, str]) -> str:
    try:
        return re.sub(r"<<(\w+)>>", lambda m: defs[m.group(1)], pattern)
    except KeyError as exc:
        raise ExtractionError(f"{PLACES_RULES.name}: unknown <<{exc.args[0]}>> in {pattern!r}") from None


def _sign(rule: dict[str, Any], defs: dict[str, str]) -> Sign:
    try:
        pattern = re.compile(_expand(rule["pattern"], defs), re.IGNORECASE | re.MULTILINE)
    except re.error as exc:
        raise ExtractionError(f"{PLACES_RULES.name}: sign {rule.get('id')}: bad pattern: {exc}") from None
    return Sign(
        id=rule["id"],
        pattern=pattern,
        weight=float(rule.get("weight", 1)),
        head_chars=rule.get("head_chars"),
        examples=tuple(rule.get("examples") or ()),
    )


def province_points(text: str, provinces: Iterable[str]) -> dict[str, float]:
    """The points every province the text's signs name gets."""
    rules = places(tuple(provinces))
    points: dict[str, float] = {}
    for sign in rules.signs:
        end = len(text) if sign.head_chars is None else min(len(text), sign.head_chars)
        for m in sign.pattern.finditer(text, 0, end):
            province = rules.province_of(m)
            if province is not None:
                points[province] = points.get(province, 0.0) + sign.weight
    return points


def find_province(text: str, provinces: Iterable[str], period_end: date | None = None) -> str | None:
    """The province with most points (more than none); none named: an unknown name after the
    Department's title.  A text of a period that ends after the 2025 merger gives an old
    province's points to the province it joined ("Bến Tre" in a 2025 text is Vĩnh Long's)."""
    provinces = tuple(provinces)
    rules = places(provinces)
    points: dict[str, float] = {}
    merged = period_end is not None and rules.merged_on is not None and period_end >= rules.merged_on
    for name, p in province_points(text, provinces).items():
        name = rules.successors.get(name, name) if merged else name
        points[name] = points.get(name, 0.0) + p
    points = {name: p for name, p in points.items() if p > 0}
    if points:
        return max(points, key=lambda name: points[name])
    fallback = rules.fallback.search(text)
    return fallback.group(1).strip() if fallback else None
