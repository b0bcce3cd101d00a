"""Writing generated rows: COPY on PostgreSQL, bulk_create batches elsewhere (SQLite)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable

from django.db import connection

from baocao.core.periods import Period
from baocao.datavalues.models import DataValue

from .synth import Row

SOURCE_REF = "synth"
COLUMNS = (
    "indicator_id, unit_id, period, period_type, period_start, period_end, regime, is_target, value, "
    "qualifier, source, source_ref, flag, comment, updated_at, updated_by_id"
)
_FLUSH_BYTES = 8 << 20


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.4f}"


class CopyWriter:
    """Streams rows into datavalues_datavalue with COPY (psycopg 3), in ~8 MB writes.

    With `staging`, rows go to a temporary table first and are inserted with ON CONFLICT DO
    NOTHING, so that figures already in the database (demo data, real imports) are kept.
    """

    def __init__(self, *, staging: bool, user_id: int | None) -> None:
        self.staging = staging
        self.now = datetime.datetime.now(datetime.UTC).isoformat()
        self.user = str(user_id) if user_id else r"\N"
        self._period_text: dict[str, str] = {}
        self.cursor = connection.cursor()
        self.raw = self.cursor.cursor  # the psycopg cursor under Django's wrapper
        self.raw.execute(
            f"CREATE TEMP TABLE synth_stage ON COMMIT DROP AS SELECT {COLUMNS} FROM datavalues_datavalue WITH NO DATA"
        )

    def _period(self, p: Period) -> str:
        text = self._period_text.get(p.code)
        if text is None:
            text = f"{p.code}\t{p.type.value}\t{p.start.isoformat()}\t{p.end.isoformat()}"
            self._period_text[p.code] = text
        return text

    def write(self, rows: Iterable[Row], *, keep_existing: bool = False) -> None:
        staged = self.staging or keep_existing
        target = "synth_stage" if staged else "datavalues_datavalue"
        tail = f"\thanh_chinh\tf\t%s\texact\timport\t{SOURCE_REF}\t\t\t{self.now}\t{self.user}\n"
        buf = io.StringIO()
        with self.raw.copy(f"COPY {target} ({COLUMNS}) FROM STDIN") as copy:
            for ind, unit, period, value in rows:
                buf.write(f"{ind}\t{unit}\t{self._period(period)}")
                buf.write(tail % _number(value))
                if buf.tell() > _FLUSH_BYTES:
                    copy.write(buf.getvalue())
                    buf = io.StringIO()
            copy.write(buf.getvalue())
        if staged:
            self.raw.execute(
                f"INSERT INTO datavalues_datavalue ({COLUMNS}) SELECT {COLUMNS} FROM synth_stage "
                "ON CONFLICT (indicator_id, unit_id, period, regime, is_target) DO NOTHING"
            )
            self.raw.execute("TRUNCATE synth_stage")

    def finish(self) -> None:
        self.cursor.close()


class OrmWriter:
    """bulk_create in batches, skipping rows that already exist (SQLite and others)."""

    def __init__(self, *, user_id: int | None) -> None:
        self.user_id = user_id

    def write(self, rows: Iterable[Row], *, keep_existing: bool = False) -> None:
        batch: list[DataValue] = []
        for ind, unit, period, value in rows:
            batch.append(
                DataValue(
                    indicator_id=ind, unit_id=unit, period=period.code, period_type=period.type.value,
                    period_start=period.start, period_end=period.end, value=_number(value),
                    source="import", source_ref=SOURCE_REF, updated_by_id=self.user_id,
                )
            )  # fmt: skip
            if len(batch) >= 5000:
                DataValue.objects.bulk_create(batch, ignore_conflicts=True)
                batch = []
        DataValue.objects.bulk_create(batch, ignore_conflicts=True)

    def finish(self) -> None:
        return None
