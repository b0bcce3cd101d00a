"""Province overlays: rules/provinces/<province>.yaml adds or overrides phrases and rules.

A province writes some things its own way ("tiếp đón" for "tiếp nhận", a month named
without its year).  Its file holds a ``lexicon:`` section, merged into lexicon.yaml (a
list is extended, a mapping merged key by key, anything else replaced), and rule sections
of the shape of rules/*.yaml, added to the rules or put in place of the rule with the same
id.  The file is named after the province without tone marks: "Trà Vinh" → tra_vinh.yaml.
No branch of the code names a province.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .decisions import RULE_FILES, RULES_DIR, RuleSet, load_rules
from .errors import ExtractionError
from .lexicon import LEXICON_PATH, Lexicon, lexicon_from_data, read_lexicon_data

PROVINCES_DIR = RULES_DIR / "provinces"


def slug(province: str) -> str:
    """ "Trà Vinh" → "tra_vinh", "TP. Hồ Chí Minh" → "tp_ho_chi_minh"."""
    plain = unicodedata.normalize("NFD", province.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return "_".join("".join(c if c.isalnum() else " " for c in plain).split())


def overlay_path(province: str | None, directory: Path | None = None) -> Path | None:
    if not province:
        return None
    path = (directory or PROVINCES_DIR) / f"{slug(province)}.yaml"
    return path if path.is_file() else None


def has_overlays(directory: Path | None = None) -> bool:
    d = directory or PROVINCES_DIR
    return d.is_dir() and any(d.glob("*.yaml"))


def merge(base: Any, over: Any) -> Any:
    """``over`` laid on ``base``: lists extended, mappings merged, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(over, list):
        return base + over
    return over


@lru_cache(maxsize=16)
def province_lexicon(path: Path) -> Lexicon:
    data = _read(path)
    return lexicon_from_data(merge(read_lexicon_data(LEXICON_PATH), data.get("lexicon") or {}))


@lru_cache(maxsize=16)
def province_rules(path: Path) -> RuleSet:
    return load_rules([RULES_DIR / name for name in RULE_FILES], overlays=[path])


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ExtractionError(f"{path.name}: cannot read province overlay: {exc}") from None
    if not isinstance(data, dict):
        raise ExtractionError(f"{path.name}: a province overlay is a mapping (lexicon:, rule sections)")
    return data
