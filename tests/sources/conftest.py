"""Fixtures of the data-source tests: a real HTTP server on loopback serving exports the way the
systems do, the shipped mappings, and an enterprise unit under Trà Vinh."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

CONTENT_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Exports:
    """What the loopback server answers: path → (status, body); every request is remembered."""

    base: str = ""
    routes: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def serve(self, path: str, body: bytes, status: int = 200) -> str:
        self.routes[path] = (status, body)
        return self.base + path

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)


@pytest.fixture
def exports() -> Iterator[Exports]:
    state = Exports()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.requests.append((self.path, dict(self.headers)))
            status, body = state.routes.get(self.path, (404, b"not found"))
            if self.path.startswith("/bao-mat/") and self.headers.get("X-Api-Key") != "khoa-bi-mat":
                status, body = 401, b"unauthorized"
            self.send_response(status)
            self.send_header("Content-Type", CONTENT_TYPES.get(Path(self.path).suffix, "text/plain"))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _fast_retries(settings: Any) -> None:
    settings.BAOCAO_SOURCES_BACKOFF = 0.01
    settings.BAOCAO_SOURCES_ATTEMPTS = 3
    settings.BAOCAO_JOBS_BACKEND = "sync"




@pytest.fixture
def vnpt(system_actor: Any, travinh: Any) -> Any:
    """VNPT Trà Vinh, an enterprise unit under the province: its figures roll up into the province's."""
    from baocao.orgunits.models import OrgUnit
    from baocao.orgunits.services import create_unit

    return OrgUnit.objects.filter(code="DN-84-VNPT").first() or create_unit(
        system_actor, code="DN-84-VNPT", name="VNPT Trà Vinh", full_name="Viễn thông Trà Vinh",
        level="enterprise", parent=travinh, valid_from=travinh.valid_from, valid_to=travinh.valid_to,
    )  # fmt: skip
