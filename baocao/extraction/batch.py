"""Extract a folder of reports on all cores: one JSON file per report.

The CLI (`baocao extract`) calls extract_many; each worker process loads
the lexicon once and then reads reports one after another.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from .errors import ExtractionError


@dataclass(frozen=True)
class BatchResult:
    path: Path
    output: Path | None
    error: str | None = None
    facts: int = 0
    documents: int = 0


def _one(path: Path, out_dir: Path, unit: str | None, period: str | None) -> BatchResult:
    # imported here so that a worker process pays for the import (and lexicon) once, on first use
    from . import extract_file

    try:
        result = extract_file(path, unit=unit, period=period)
    except ExtractionError as exc:
        return BatchResult(path, None, str(exc))
    out = out_dir / (path.stem + ".json")
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return BatchResult(path, out, None, len(result["facts"]), len(result["documents"]))


def extract_many(
    paths: Iterable[Path | str],
    out_dir: Path | str,
    workers: int = 2,
    *,
    unit: str | None = None,
    period: str | None = None,
    progress: bool = True,
) -> list[BatchResult]:
    """Extract every report in ``paths`` into ``out_dir``/<stem>.json with a process pool.

    Unreadable files do not stop the batch: their BatchResult carries the
    error message (which names the file).  Results come back in input order.
    """
    files = [Path(p) for p in paths]
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    results: dict[int, BatchResult] = {}
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="report", desc="extract")
    try:
        if workers <= 1 or len(files) <= 1:
            for i, f in enumerate(files):
                results[i] = _one(f, out, unit, period)
                if bar is not None:
                    bar.update(1)
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                futures = {pool.submit(_one, f, out, unit, period): i for i, f in enumerate(files)}
                for fut in as_completed(futures):
                    results[futures[fut]] = fut.result()
                    if bar is not None:
                        bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return [results[i] for i in range(len(files))]
