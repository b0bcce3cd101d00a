#!/usr/bin/env bash
# Runs the whole suite on SQLite, then on PostgreSQL when one is reachable
# (DATABASE_URL if set, else 127.0.0.1:5432 with trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

# Browser tests need Chromium; PDF tests need LibreOffice (and poppler for page checks).
missing=""
[ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v soffice >/dev/null || missing="$missing libreoffice-writer-nogui fonts-liberation"
command -v pdftoppm >/dev/null || missing="$missing poppler-utils"
if [ -n "$missing" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "== cài /installing:$missing"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null) \
    || echo "(không cài được:$missing — các kiểm thử cần chúng sẽ bỏ qua / tests needing them will skip)"
fi

PG_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/baocao}"
# one pytest worker per core (pytest-xdist; each worker has its own test database)
WORKERS="${BAOCAO_TEST_WORKERS:-auto}"
unset DATABASE_URL
# test databases are named per run, so two runs on one PostgreSQL server never collide
export BAOCAO_TEST_RUN_ID="${BAOCAO_TEST_RUN_ID:-r$$}"

echo "== SQLite"
"$BIN/pytest" -n "$WORKERS" "$@"

if "$BIN/python" - "$PG_URL" <<'PY'
import sys
import psycopg
from urllib.parse import urlparse
u = urlparse(sys.argv[1])
if u.scheme not in ("postgres", "postgresql", "pgsql", "postgis"):
    sys.exit(1)
try:
    psycopg.connect(host=u.hostname or "127.0.0.1", port=u.port or 5432, user=u.username or "postgres",
                    password=u.password or None, dbname="postgres", connect_timeout=3).close()
except Exception as exc:
    print(f"(PostgreSQL không kết nối được: {exc})")
    sys.exit(1)
PY
then
  echo "== PostgreSQL ($PG_URL)"
  DATABASE_URL="$PG_URL" "$BIN/pytest" -n "$WORKERS" "$@"
else
  echo "== PostgreSQL: bỏ qua (không kết nối được)"
fi
