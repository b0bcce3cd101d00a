#!/usr/bin/env python3
"""Score the extraction engine against hand-checked gold files.

    bench/score_extraction.py [GOLD_DIR] [--corpus DIR] [-v]

Prints one line per gold file (fact P/R/F1, document P/R/F1, time in ms)
and a micro-averaged TOTAL line.  The texts are looked up beside the gold
directory (its parent) unless --corpus says otherwise.
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
        text_path = corpus / gold.get("source", gold_path.with_suffix(".txt").name)
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
