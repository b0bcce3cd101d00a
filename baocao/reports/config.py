"""Report templates as configuration: default.yaml, then per-province and per-department files.

See the comment at the top of templates_config/default.yaml for the format and the merge
rules.  Nothing here knows a province: a file named after a unit code is all it takes.
"""

from __future__ import annotations

import copy
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from baocao.core.periods import PeriodType

CONFIG_DIR = Path(__file__).resolve().parent / "templates_config"
DEFAULT_FILE = "default.yaml"
BLOCKS = ("tasks_review", "tasks_next", "table")


class ConfigError(ValueError):
    """A template file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    field: str | None = None
    upper: bool = False
    hidden: bool = False
    keep_empty: bool = False
    blocks: tuple[str, ...] = ()
    table: str | None = None
    children: tuple[Section, ...] = ()

    def walk(self) -> Iterable[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ReportConfig:
    """The merged template of one report type for one unit, names resolved for one date."""

    data: dict[str, Any]
    sections: tuple[Section, ...]
    files: tuple[str, ...] = field(default=())

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def text(self, key: str, context: Mapping[str, Any]) -> str:
        """A text of the template with {names} filled from ``context``."""
        return render_text(self.data.get(key, ""), context, where=f"{key} ({', '.join(self.files)})")

    def all_sections(self) -> list[Section]:
        return [s for top in self.sections for s in top.walk()]

    def section_keys(self) -> set[str]:
        return {s.key for s in self.all_sections()}


class _Context(dict[str, Any]):
    def __init__(self, values: Mapping[str, Any], where: str) -> None:
        super().__init__(values)
        self.where = where

    def __missing__(self, key: str) -> Any:
        known = ", ".join(sorted(self))
        raise ConfigError(f"{self.where}: không có tên '{{{key}}}' (dùng được: {known})")


def render_text(template: Any, context: Mapping[str, Any], *, where: str) -> str:
    if template is None:
        return ""
    if not isinstance(template, str):
        raise ConfigError(f"{where}: cần một chuỗi, không phải {type(template).__name__}")
    try:
        return string.Formatter().vformat(template, (), _Context(context, where))
    except (ValueError, IndexError) as exc:
        raise ConfigError(f"{where}: mẫu chữ '{template}' không hợp lệ: {exc}") from None


# -- reading and merging ------------------------------------------------------------------------


# A parsed file by its text: a report page reads two files on every request and parsing them
# took ~20 ms; reading them is nothing, and a file changed in any way is parsed again.
_PARSED: dict[tuple[str, str], dict[str, Any]] = {}


def _read(path: Path) -> dict[str, Any]:
    """The file's top-level table, a copy the caller may change."""
    key = (path.name, path.read_text(encoding="utf-8"))
    if key not in _PARSED:
        if len(_PARSED) > 64:
            _PARSED.clear()
        _PARSED[key] = _parse(path.name, key[1])
    return copy.deepcopy(_PARSED[key])


def _parse(name: str, text: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        place = f", dòng {mark.line + 1}, cột {mark.column + 1}" if mark else ""
        raise ConfigError(f"{name}{place}: YAML không hợp lệ: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{name}: cần một bảng khóa-giá trị ở mức ngoài cùng")
    return data


def _merge(base: Any, over: Any, where: str) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        result = dict(base)
        for key, value in over.items():
            if key == "sections" and isinstance(value, dict) and key in result:
                result[key] = _patch_sections(result[key], value, f"{where}: sections")
            else:
                result[key] = _merge(result.get(key), value, f"{where}: {key}")
        return result
    return copy.deepcopy(over)


def _patch_sections(tree: Any, patches: dict[str, Any], where: str) -> list[dict[str, Any]]:
    if not isinstance(tree, list):
        raise ConfigError(f"{where}: cây mục gốc phải là một danh sách")
    remaining = dict(patches)

    def apply(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        out = []
        for node in nodes:
            node = dict(node)
            patch = remaining.pop(str(node.get("key")), None)
            if patch is not None:
                if not isinstance(patch, dict):
                    raise ConfigError(f"{where}: {node.get('key')}: cần một bảng khóa-giá trị")
                patch = dict(patch)
                append = patch.pop("append", [])
                order = patch.pop("order", None)
                node.update(patch)
                children = list(node.get("children", [])) + list(append)
                if order:
                    rank = {key: i for i, key in enumerate(order)}
                    children.sort(key=lambda c: rank.get(c.get("key"), len(rank)))
                if children:
                    node["children"] = children
            if node.get("children"):
                node["children"] = apply(node["children"])
            out.append(node)
        return out

    result = apply(copy.deepcopy(tree))
    if remaining:
        raise ConfigError(f"{where}: không có mục nào có khóa {', '.join(sorted(remaining))}")
    return result


def _resolve_dates(value: Any, on: date, where: str) -> Any:
    if isinstance(value, dict):
        if set(value) == {"by_date"}:
            choices = value["by_date"]
            if not isinstance(choices, list) or not choices:
                raise ConfigError(f"{where}: by_date cần một danh sách lựa chọn")
            for choice in choices:
                before = choice.get("before") if isinstance(choice, dict) else None
                if before is not None and not isinstance(before, date):
                    raise ConfigError(f"{where}: by_date.before phải là ngày dạng 2025-03-01")
                if before is None or on < before:
                    return _resolve_dates(choice.get("value"), on, where)
            raise ConfigError(f"{where}: không có lựa chọn by_date nào áp dụng cho ngày {on:%d/%m/%Y}")
        return {k: _resolve_dates(v, on, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_dates(v, on, where) for v in value]
    return value


def _section(node: Any, where: str, seen: set[str]) -> Section:
    if not isinstance(node, dict) or not node.get("key") or "heading" not in node:
        raise ConfigError(f"{where}: mỗi mục cần 'key' và 'heading' (gặp {node!r})")
    key = str(node["key"])
    if key in seen:
        raise ConfigError(f"{where}: khóa mục '{key}' lặp lại")
    seen.add(key)
    blocks = tuple(node.get("blocks", ()))
    for block in blocks:
        if block not in BLOCKS:
            raise ConfigError(f"{where}: {key}: khối '{block}' không có (dùng: {', '.join(BLOCKS)})")
    children = tuple(_section(c, f"{where}: {key}", seen) for c in node.get("children", []) or [])
    return Section(
        key=key,
        heading=str(node["heading"]),
        field=node.get("field"),
        upper=bool(node.get("upper", False)),
        hidden=bool(node.get("hidden", False)),
        keep_empty=bool(node.get("keep_empty", False)),
        blocks=blocks,
        table=node.get("table"),
        children=children,
    )


def config_files(codes: Iterable[str], directory: Path = CONFIG_DIR) -> list[Path]:
    """default.yaml, then the file of each code that has one (province, then department)."""
    files = [directory / DEFAULT_FILE]
    if not files[0].is_file():
        raise ConfigError(f"thiếu tệp mẫu mặc định {files[0]}")
    for code in codes:
        path = directory / f"{code}.yaml"
        if code and path.is_file():
            files.append(path)
    return files


def load_config(
    codes: Iterable[str], period_type: PeriodType, on: date, *, directory: Path = CONFIG_DIR
) -> ReportConfig:
    """The template for a report of ``period_type`` whose unit codes are ``codes``, as of ``on``."""
    merged: dict[str, Any] = {}
    files = config_files(codes, directory)
    for path in files:
        data = _read(path)
        types = data.pop("types", {}) or {}
        if not isinstance(types, dict):
            raise ConfigError(f"{path.name}: types phải là bảng quarter/half/year")
        unknown = set(types) - {t.value for t in PeriodType}
        if unknown:
            raise ConfigError(f"{path.name}: types: loại kỳ không có: {', '.join(sorted(unknown))}")
        merged = _merge(merged, data, path.name)
        merged = _merge(merged, types.get(PeriodType(period_type).value, {}) or {}, f"{path.name}: types")
    resolved = _resolve_dates(merged, on, "mẫu báo cáo")
    seen: set[str] = set()
    sections = tuple(_section(n, "sections", seen) for n in resolved.get("sections", []) or [])
    return ReportConfig(resolved, sections, tuple(p.name for p in files))


def section_keys(codes: Iterable[str], on: date) -> set[str]:
    """Every section key any report type of these units has (entries may target any of them)."""
    codes = list(codes)
    keys: set[str] = set()
    for ptype in (PeriodType.QUARTER, PeriodType.HALF, PeriodType.YEAR):
        keys |= load_config(codes, ptype, on).section_keys()
    return keys
