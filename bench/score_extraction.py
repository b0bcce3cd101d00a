#!/usr/bin/env python3
"""Score the extraction engine against hand-checked gold files.

    bench/score_extraction.py [GOLD_DIR] [--corpus DIR] [--no-hints] [-v] [--by-rule]

Prints one line per gold file (fact P/R/F1, document-number P/R/F1, document
kind+date F1, time in ms) and a micro-averaged TOTAL line; without hints, also how many
reports' own period was read right, wrong or not at all.  The report named by
a gold's "source" (.txt, .md, .docx or .pdf) is looked up beside the gold
directory (its parent) unless --corpus says otherwise, then in the gold
directory itself (golds kept next to their reports, as in
tests/extraction/fixtures/heldout).  A gold without "source" is matched to
<stem>.txt/.md/.docx/.pdf.

By default the gold's province and period are passed to the extractor as the
CLI's --unit/--period would be (hints: what a clerk states on upload); with
--no-hints the extractor finds them in the text itself.

A GOLD_DIR without gold files but with sub-folders of them (batch01/, batch02/
…, each holding reports and golds) is scored batch by batch, then in total.

-v lists each missing and extra fact with the rules that decided it;
--by-rule counts misses and false positives per rule id (see the `why` of a
fact), the quickest way to see which rule a new batch of reports breaks.

    bench/score_extraction.py tests/extraction/fixtures/heldout -v
    bench/score_extraction.py tests/extraction/fixtures/real --no-hints --by-rule
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from baocao.core.periods import Period, PeriodError  # noqa: E402
from baocao.extraction import extract_file, score  # noqa: E402
from baocao.extraction.scoring import PRF, FactKey, Score, _value, fact_key  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
SOURCE_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
NOT_READ = "(không đọc được số / figure not read)"
NO_ENTRY = "(số không khớp mục từ điển nào / no lexicon entry fits)"


def find_source(gold: dict[str, object], gold_path: Path, corpus: Path) -> Path:
    """The report file a gold describes (see the module docstring for the search order)."""
    source = gold.get("source")
    names = [str(source)] if source else [gold_path.stem + suffix for suffix in SOURCE_SUFFIXES]
    for directory in (corpus, gold_path.parent):
        for name in names:
            if (directory / name).is_file():
                return directory / name
    return corpus / names[0]


def hints(gold: dict[str, Any]) -> dict[str, str | None]:
    """The gold's province and period as the CLI's --unit/--period would pass them."""
    period = gold.get("period")
    code = None
    if isinstance(period, dict):
        try:
            code = Period.from_dict(period).code
        except PeriodError:
            code = None
    return {"unit": gold.get("province") or None, "period": code}


def _fmt(prf: PRF) -> str:
    return f"{prf.precision:6.3f} {prf.recall:6.3f} {prf.f1:6.3f}"


def _line(name: str, s: Score, ms: float) -> str:
    return f"{name:<32} {_fmt(s.facts)}   {_fmt(s.documents)}   {s.documents_dated.f1:6.3f} {ms:8.1f}"


HEADER = f"{'file':<32} {'fact P':>6} {'R':>6} {'F1':>6}   {'doc P':>6} {'R':>6} {'F1':>6}   {'kd F1':>6} {'ms':>8}"


def _rules_of(fact: dict[str, Any]) -> list[str]:
    why = fact.get("why") or {}
    ids = [f"lexicon:{why['lexicon']}"] if why.get("lexicon") else []
    return ids + [str(r) for r in why.get("rules", [])] or ["(không có vết / no trace)"]


def blame(predicted: dict[str, Any], gold: dict[str, Any], s: Score) -> tuple[Counter[str], Counter[str]]:
    """(misses by rule, false positives by rule).  A miss is blamed on the rules of the
    predicted fact with the same indicator and value (wrong period or target), else of the
    one with the same value (wrong indicator), else on NOT_READ."""
    own = gold.get("period")
    pred = [(fact_key(f, predicted.get("period") or own), f) for f in predicted.get("facts", [])]
    misses: Counter[str] = Counter()
    for key in s.missing:
        near = [f for k, f in pred if k[0] == key[0] and k[1] == key[1]] or [
            f for k, f in pred if k[1] == key[1]
        ]
        misses.update(_rules_of(near[0]) if near else [_left_out(predicted, key[1])])
    extras: Counter[str] = Counter()
    remaining = Counter(s.extra)
    for k, f in pred:
        if remaining[k] > 0:
            remaining[k] -= 1
            extras.update(_rules_of(f))
    return misses, extras


def _left_out(predicted: dict[str, Any], value: Any) -> str:
    """Why a figure of this value is in no fact: the skip rule that left it out, no lexicon
    entry fitting it, or no figure read at all."""
    for f in predicted.get("skipped") or []:
        if _value(f["value"]) == value:
            return " ".join(_rules_of(f))
    if any(_value(f["value"]) == value for f in predicted.get("unmatched") or []):
        return NO_ENTRY
    return NOT_READ


def _why_of(key: FactKey, predicted: dict[str, Any], own: dict[str, Any] | None) -> str:
    for f in predicted.get("facts", []):
        if fact_key(f, predicted.get("period") or own) == key:
            return " ".join(_rules_of(f))
    return ""


def _own_period_verdict(predicted: dict[str, Any], gold: dict[str, Any]) -> str:
    """Whether the report's own period the extractor used is the gold's: with hints it is given,
    without them a wrong one costs every fact that leaned on it."""
    if not predicted.get("period"):
        return "not found"
    return "right" if predicted["period"] == gold.get("period") else "wrong"


def score_dir(
    gold_dir: Path, corpus: Path, args: argparse.Namespace, totals: dict[str, Counter[str]]
) -> tuple[Score, float]:
    total = Score(PRF(0, 0, 0), PRF(0, 0, 0))
    total_ms = 0.0
    for gold_path in sorted(gold_dir.glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        text_path = find_source(gold, gold_path, corpus)
        started = time.perf_counter()
        given = {} if args.no_hints else hints(gold)
        predicted = extract_file(text_path, include_unmatched=args.by_rule, **given)
        ms = (time.perf_counter() - started) * 1000
        total_ms += ms
        s = score(predicted, gold)
        total = total + s
        print(_line(gold_path.stem, s, ms))
        totals["own period"][_own_period_verdict(predicted, gold)] += 1
        if args.verbose:
            for key in s.missing:
                print("   missing", key)
            for key in s.extra:
                print("   extra  ", key, "  ←", _why_of(key, predicted, gold.get("period")))
        if args.by_rule:
            misses, extras = blame(predicted, gold, s)
            totals["missing"].update(misses)
            totals["extra"].update(extras)
    return total, total_ms


def batches(gold_dir: Path) -> list[Path]:
    """The folders to score: GOLD_DIR itself, or its sub-folders holding golds."""
    if any(gold_dir.glob("*.json")):
        return [gold_dir]
    return sorted(d for d in gold_dir.iterdir() if d.is_dir() and any(d.glob("*.json")))


def _print_rules(title: str, counts: Counter[str]) -> None:
    print(f"\n{title} ({sum(counts.values())})")
    for rule, n in counts.most_common():
        print(f"  {n:5d}  {rule}")


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("gold_dir", nargs="?", type=Path, default=DEFAULT_CORPUS / "gold")
    parser.add_argument("--corpus", type=Path, default=None, help="directory of the report texts")
    parser.add_argument("--no-hints", action="store_true", help="do not pass the gold's province and period")
    parser.add_argument("-v", "--verbose", action="store_true", help="list missing and extra facts")
    parser.add_argument("--by-rule", action="store_true", help="count misses and false positives per rule")
    args = parser.parse_args(list(argv) if argv is not None else None)
    gold_dir: Path = args.gold_dir
    dirs = batches(gold_dir) if gold_dir.is_dir() else []
    if not dirs:
        print(f"no gold files in {gold_dir}", file=sys.stderr)
        return 2
    print(
        "mode:",
        "no hints (province and period read from the text)"
        if args.no_hints
        else "hints (gold province and period given)",
    )
    print(HEADER)
    totals: dict[str, Counter[str]] = {"missing": Counter(), "extra": Counter(), "own period": Counter()}
    grand = Score(PRF(0, 0, 0), PRF(0, 0, 0))
    grand_ms = 0.0
    for directory in dirs:
        corpus = args.corpus or (directory.parent if directory == gold_dir else directory)
        s, ms = score_dir(directory, corpus, args, totals)
        grand, grand_ms = grand + s, grand_ms + ms
        if len(dirs) > 1:
            print(_line(f"TOTAL {directory.name}", s, ms))
    print(_line("TOTAL", grand, grand_ms))
    if args.no_hints:
        found = totals["own period"]
        print(
            f"own period of the report: right in {found['right']} of {sum(found.values())} texts, "
            f"wrong in {found['wrong']}, not found in {found['not found']}"
        )
    if args.by_rule:
        _print_rules("misses by rule", totals["missing"])
        _print_rules("false positives by rule", totals["extra"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
