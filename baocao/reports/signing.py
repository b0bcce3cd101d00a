"""The version to sign: no placeholder, no review appendix.

A run flagged by the filler (a missing figure, a figure the report's own check would flag, a
broken reference) never reaches the signing version. Either the department enters the figure,
or it chooses, per report, to leave out the sentences that need it; until then the signing
version is refused with the list of what is left. A table cell without its figure shows "–",
as tables do for figures not reported.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .document import Block, Paragraph, Run, Table

# A sentence ends at ".", ";", "!" or "?" followed by a space (not in "1.599" or "16/KH-UBND").
_BOUNDARY = re.compile(r"(?<=[.;!?])\s+")
NO_FIGURE = "–"


def flagged_runs(blocks: list[Block]) -> list[Run]:
    runs: list[Run] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            runs.extend(r for r in block.runs if r.flag)
        else:
            runs.extend(r for row in block.rows for cell in row for r in cell if r.flag)
    return runs


def _sentences(runs: list[Run]) -> list[list[Run]]:
    sentences: list[list[Run]] = [[]]
    for run in runs:
        if run.flag or run.nobreak:
            sentences[-1].append(run)
            continue
        start = 0
        for match in _BOUNDARY.finditer(run.text):
            sentences[-1].append(replace(run, text=run.text[start : match.end()]))
            sentences.append([])
            start = match.end()
        if start < len(run.text):
            sentences[-1].append(replace(run, text=run.text[start:]))
    return [s for s in sentences if s]


def without_flagged(runs: list[Run]) -> tuple[list[Run], list[str]]:
    """The runs with every sentence that holds a flagged run left out, and those sentences."""
    kept: list[Run] = []
    dropped: list[str] = []
    for sentence in _sentences(runs):
        if any(r.flag for r in sentence):
            dropped.append("".join(r.text for r in sentence).strip())
        else:
            kept.extend(sentence)
    if kept and dropped:
        last = kept[-1]
        text = last.text.rstrip()
        if text.endswith((";", ",")):
            text = text[:-1] + "."
        kept[-1] = replace(last, text=text)
    return kept, dropped


def clean_blocks(blocks: list[Block]) -> tuple[list[Block], list[str]]:
    """Blocks with no flagged run: sentences left out, empty paragraphs dropped, table cells "–"."""
    result: list[Block] = []
    dropped: list[str] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            if not any(r.flag for r in block.runs):
                result.append(block)
                continue
            runs, gone = without_flagged(block.runs)
            dropped.extend(gone)
            if "".join(r.text for r in runs).strip() and block.kind != "heading":
                result.append(Paragraph(runs, block.kind, block.level))
            continue
        rows = []
        for row in block.rows:
            cells = []
            for cell in row:
                if any(r.flag for r in cell):
                    runs, gone = without_flagged(cell)
                    dropped.extend(gone)
                    cell = runs if "".join(r.text for r in runs).strip() else [Run(NO_FIGURE)]
                cells.append(cell)
            rows.append(cells)
        result.append(Table(block.columns, rows, block.widths_cm, block.group_rows, block.centred,
                            block.right, block.kind))
    return result, dropped
