#!/usr/bin/env python3
"""Score the extraction engine against hand-checked gold files.

    bench/score_extraction.py [GOLD_DIR] [--corpus DIR] [-v]

Prints one line per gold file (fact P/R/F1, document P/R/F1, time in ms)
and a micro-averaged TOTAL line.  The report named by a gold's "source"
(.txt, .md, .docx or .pdf) is looked up beside the gold directory (its
parent) unless --corpus says otherwise, then in the gold directory itself
(golds kept next to their reports, as in tests/extraction/fixtures/heldout).
A gold without "source" is matched to <stem>.txt/.md/.docx/.pdf.

    bench/score_extraction.py tests/extraction/fixtures/heldout -v
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from baocao.extraction import extract_file, score  # noqa: E402
from baocao.extraction.scoring import PRF, Score  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SOURCE_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


def find_source(gold: dict[str, object], gold_path: Path, corpus: Path) -> Path:
    """The report file a gold describes (see the module docstring for the search order)."""
    source = gold.get("source")
    names = [str(source)] if source else [gold_path.stem + suffix for suffix in SOURCE_SUFFIXES]
    for directory in (corpus, gold_path.parent):
        for name in names:
            if (directory / name).is_file():
                return directory / name
    return corpus / names[0]


def _fmt(prf: PRF) -> str:
    return f"{prf.precision:6.3f} {prf.recall:6.3f} {prf.f1:6.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gold_dir", nargs="?", type=Path, default=DEFAULT_CORPUS / "gold")
    parser.add_argument("--corpus", type=Path, default=None, help="directory of the report texts")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missing and extra facts")
    args = parser.parse_args(argv)
    gold_dir: Path = args.gold_dir
    corpus: Path = args.corpus or gold_dir.parent
    golds = sorted(gold_dir.glob("*.json"))
    if not golds:
        print(f"no gold files in {gold_dir}", file=sys.stderr)
        return 2
    total = Score(PRF(0, 0, 0), PRF(0, 0, 0))
    total_ms = 0.0
    header = f"{'file':<32} {'fact P':>6} {'R':>6} {'F1':>6}   {'doc P':>6} {'R':>6} {'F1':>6} {'ms':>8}"
    print(header)
    for gold_path in golds:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text_path = find_source(gold, gold_path, corpus)
        started = time.perf_counter()
        predicted = extract_file(text_path)
        ms = (time.perf_counter() - started) * 1000
        total_ms += ms
        s = score(predicted, gold)
        total = total + s
        print(f"{gold_path.stem:<32} {_fmt(s.facts)}   {_fmt(s.documents)} {ms:8.1f}")
        if args.verbose:
            for key in s.missing:
                print("   missing", key)
            for key in s.extra:
                print("   extra  ", key)
    print(f"{'TOTAL':<32} {_fmt(total.facts)}   {_fmt(total.documents)} {total_ms:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
