"""Build legacy_63.csv.gz: the 63-province structure (provinces, districts, communes) that was
in force until 1 July 2025.

Where it comes from
-------------------
The package `vietnam-provinces` (PyPI, maintainer Nguyễn Hồng Quân, data taken from the
General Statistics Office's list of administrative units, danhmuchanhchinh.gso.gov.vn) only
ships the 34-province structure from its 2025 releases on. Its release 0.6.0 (data version
2025-01-04) is the last one with the old three-level structure. To rebuild the file:

    pip download --no-deps vietnam-provinces==0.6.0 -d /tmp/vp06
    python baocao/orgunits/data/build_legacy.py /tmp/vp06/vietnam_provinces-0.6.0-py3-none-any.whl

(an unpacked wheel directory or the nested-divisions.json itself works too).

What 0.6.0 gives and lacks
--------------------------
* 63 provinces, 696 districts, 10 051 communes: the state of early January 2025, i.e. after the
  2023–2025 district/commune rearrangements (the ~705 districts of 2020 are not all there) and
  with Thừa Thiên Huế already "Thành phố Huế" (a centrally-run city from 1 January 2025).
* Its `division_type` field is collapsed (every province "tỉnh", every district "huyện", every
  commune "xã"), so the type is taken from the name prefix instead ("Quận …", "Thị trấn …").
* No dates: when a unit was created is not known, only that all of them ended on 1 July 2025.

Columns: level, gso_code, parent_gso_code, division_type, name, full_name — parents before
children, GSO codes zero-padded as the GSO writes them (province 2, district 3, commune 5 digits).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import zipfile
from pathlib import Path
from typing import Any

# The script runs on its own (no Django): make `baocao` importable from the repository.
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from baocao.orgunits.names import split_type

OUTPUT = Path(__file__).resolve().parent / "legacy_63.csv.gz"
COLUMNS = ("level", "gso_code", "parent_gso_code", "division_type", "name", "full_name")
JSON_NAME = "vietnam_provinces/data/nested-divisions.json"

PROVINCE_TYPES = {"tỉnh": "tỉnh", "thành phố": "thành phố trung ương"}


def load_nested(source: Path) -> list[dict[str, Any]]:
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            data: list[dict[str, Any]] = json.loads(wheel.read(JSON_NAME))
            return data
    if source.is_dir():
        source = source / JSON_NAME
    data = json.loads(source.read_text(encoding="utf-8"))
    return data


def _row(level: str, code: int, width: int, parent: str, full_name: str) -> dict[str, str]:
    full_name = " ".join(full_name.split())
    kind, name = split_type(full_name)
    if not kind:
        raise SystemExit(f"{level} {code} '{full_name}': no type prefix, cannot tell its kind")
    if level == "province":
        kind = PROVINCE_TYPES[kind]
    # "Thành Phố Bắc Kạn" in the source: write the type word as the GSO usually does.
    full_name = kind.capitalize() + full_name[len(kind) :] if level != "province" else full_name
    return {
        "level": level,
        "gso_code": str(code).zfill(width),
        "parent_gso_code": parent,
        "division_type": kind,
        "name": name,
        "full_name": full_name,
    }


def build_rows(nested: list[dict[str, Any]]) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for province in nested:
        prow = _row("province", province["code"], 2, "", province["name"])
        rows.append(prow)
        for district in province["districts"]:
            drow = _row("district", district["code"], 3, prow["gso_code"], district["name"])
            rows.append(drow)
            rows.extend(
                _row("commune", ward["code"], 5, drow["gso_code"], ward["name"]) for ward in district["wards"]
            )
    return rows


def write(rows: list[dict[str, str]], output: Path = OUTPUT) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    # mtime=0: rebuilding from the same source gives a byte-identical file (clean diffs).
    with output.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(buffer.getvalue().encode("utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    rows = build_rows(load_nested(Path(argv[1])))
    write(rows)
    counts = {level: sum(1 for r in rows if r["level"] == level) for level in ("province", "district", "commune")}
    print(f"{OUTPUT.name}: {counts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
