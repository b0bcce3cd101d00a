"""Loading the demo registers a second time finds every document and task already there."""

from __future__ import annotations

from typing import Any


def test_loading_the_demo_registers_again_changes_nothing(system_actor: Any) -> None:
    from baocao.demo.registers import load_demo_registers

    first = load_demo_registers(system_actor)
    again = load_demo_registers(system_actor)
    assert first.documents["created"] > 0 and first.tasks["created"] > 0
    assert again.documents == {"created": 0, "updated": 0, "unchanged": sum(first.documents.values())}
    assert again.tasks["created"] == again.tasks["updated"] == again.tasks["deleted"] == 0
    assert again.tasks["unchanged"] == sum(first.tasks.values()) - first.tasks["deleted"]
