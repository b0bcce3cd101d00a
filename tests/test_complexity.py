"""No function of the application is past cyclomatic complexity 25 (radon's count, which adds
the boolean operators McCabe's leaves out): such a function is a design to split."""

from __future__ import annotations

from pathlib import Path

from radon.complexity import cc_visit

PACKAGE = Path(__file__).resolve().parents[1] / "baocao"
LIMIT = 25


def _too_complex(source: str, name: str) -> list[str]:
    found = []
    for block in cc_visit(source):
        for item in [block, *getattr(block, "methods", [])]:
            if item.complexity > LIMIT:
                found.append(f"{name}:{item.lineno} {item.name} ({item.complexity})")
    return found


def test_no_function_is_past_the_limit() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        found += _too_complex(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    assert not found, "split these functions:\n" + "\n".join(found)


def test_the_count_sees_a_complex_function() -> None:
    branches = "".join(f"    if x == {i} or y:\n        return {i}\n" for i in range(14))
    assert _too_complex(f"def f(x, y):\n{branches}    return -1\n", "sample.py") == ["sample.py:1 f (29)"]
