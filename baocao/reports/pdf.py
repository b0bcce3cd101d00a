"""PDF by converting the DOCX with LibreOffice, so both outputs have one layout."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

CONVERT_TIMEOUT_SECONDS = 180
INSTALL_HINT = (
    "Cần LibreOffice để xuất PDF / LibreOffice is needed for PDF output: "
    "apt-get install libreoffice-writer-nogui (lệnh soffice)"
)


class PdfError(RuntimeError):
    """The PDF could not be made; the message says what to install or what failed."""


def soffice_path() -> str | None:
    return os.environ.get("BAOCAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: Path, pdf: Path) -> Path:
    """Convert ``docx`` to ``pdf`` (overwritten); raises PdfError naming what is missing."""
    binary = soffice_path()
    if binary is None:
        raise PdfError(INSTALL_HINT)
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="baocao-pdf-") as work:
        workdir = Path(work)
        # A private profile: concurrent conversions (tests, web requests) must not share one.
        profile = (workdir / "profile").as_uri()
        command = [
            binary,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(workdir),
            str(docx),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=CONVERT_TIMEOUT_SECONDS, check=False
            )
        except subprocess.TimeoutExpired:
            raise PdfError(
                f"LibreOffice không chuyển xong {docx.name} sau {CONVERT_TIMEOUT_SECONDS} giây"
            ) from None
        produced = workdir / f"{docx.stem}.pdf"
        if done.returncode != 0 or not produced.is_file():
            detail = (done.stderr or done.stdout or "").strip()[-500:]
            raise PdfError(
                f"LibreOffice không chuyển được {docx.name} sang PDF (mã {done.returncode}): {detail}"
            )
        shutil.move(str(produced), pdf)
    return pdf
