"""Getting a source's export: an HTTP GET with retries and back-off, or a file from a folder.

No Django here: the caller passes the back-off and the sleep, so tests wait milliseconds."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".xlsx", ".json")


class FetchError(Exception):
    """The export could not be fetched; the message says why (in Vietnamese) and how often it was tried."""

    def __init__(self, message: str, attempts: int) -> None:
        super().__init__(message)
        self.attempts = attempts


@dataclass
class Fetched:
    data: bytes
    name: str
    content_type: str = ""
    attempts: int = 1
    tries: list[str] = field(default_factory=list)


def _name_from(url: str, content_type: str) -> str:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if tail.lower().endswith(SUFFIXES):
        return tail
    for kind, suffix in (("json", ".json"), ("spreadsheetml", ".xlsx"), ("csv", ".csv")):
        if kind in content_type:
            return (tail or "du-lieu") + suffix
    return tail or "du-lieu"


def _why(exc: Exception) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"máy chủ trả lỗi HTTP {exc.code} ({exc.reason})"
    if isinstance(exc, urllib.error.URLError):
        return f"không kết nối được ({exc.reason})"
    if isinstance(exc, TimeoutError):
        return "quá thời gian chờ"
    return f"{type(exc).__name__}: {exc}"


def http_get(
    url: str,
    *,
    headers: dict[str, str] | None = None,
    attempts: int = 3,
    backoff: float = 2.0,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Fetched:
    """GET `url`, trying `attempts` times, waiting backoff, 2×backoff, … between tries.

    A 4xx answer other than 408/429 is not retried: asking again will not change it."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError(f"Địa chỉ '{url}' không phải http:// hoặc https://", 0)
    tries: list[str] = []
    for attempt in range(1, attempts + 1):
        request = urllib.request.Request(url, headers={"User-Agent": "baocao-nguon-du-lieu/1", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                data = response.read(MAX_BYTES + 1)
                if len(data) > MAX_BYTES:
                    raise FetchError(f"{url}: dữ liệu lớn hơn {MAX_BYTES // (1024 * 1024)} MB", attempt)
                content_type = response.headers.get("Content-Type", "")
                return Fetched(data, _name_from(url, content_type), content_type, attempt, tries)
        except FetchError:
            raise
        except Exception as exc:  # every network failure is worth a retry, except a definite refusal
            tries.append(f"lần {attempt}: {_why(exc)}")
            definite = isinstance(exc, urllib.error.HTTPError) and 400 <= exc.code < 500 and exc.code not in (408, 429)
            if definite or attempt == attempts:
                raise FetchError(f"Không lấy được dữ liệu từ {url} sau {attempt} lần thử — " + "; ".join(tries), attempt) from None
            sleep(backoff * 2 ** (attempt - 1))
    raise FetchError(f"Không lấy được dữ liệu từ {url}", attempts)  # pragma: no cover (loop returns or raises)


def waiting_files(folder: Path) -> list[Path]:
    """Exports dropped in a watched folder and not yet handled (oldest first)."""
    if not folder.is_dir():
        raise FetchError(f"Không thấy thư mục theo dõi {folder}", 0)
    files = [p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (p.stat().st_mtime, p.name))


def move_done(path: Path, ok: bool) -> Path:
    """Move a handled file to 'da-xu-ly/' (or 'loi/' when its run failed) beside it."""
    target_dir = path.parent / ("da-xu-ly" if ok else "loi")
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    counter = 1
    while target.exists():
        target = target_dir / f"{path.stem}-{counter}{path.suffix}"
        counter += 1
    path.rename(target)
    return target
