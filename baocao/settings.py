"""Django settings. Everything that differs between machines comes from the environment.

DATABASE_URL selects the database (SQLite by default, PostgreSQL in production). DEBUG is off
unless BAOCAO_DEBUG=1 (`baocao serve` and `make run` turn it on for the development server);
deploy/baocao.env.example lists what a production server sets.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("BAOCAO_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("BAOCAO_DEBUG", "0") == "1"


def _installation_key(path: Path) -> str:
    """A random key made once per installation and kept under var/ (readable by its owner only):
    no two installations share a key, and sessions survive restarts, with nothing to configure."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(secrets.token_urlsafe(50))
    return path.read_text(encoding="ascii").strip()


SECRET_KEY = os.environ.get("BAOCAO_SECRET_KEY") or _installation_key(VAR_DIR / "secret_key")
ALLOWED_HOSTS = [
    h for h in os.environ.get("BAOCAO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "baocao.orgunits",
    "baocao.catalog",
    "baocao.access",
    "baocao.audit",
    "baocao.datavalues",
    "baocao.registers",
    "baocao.reports",
    "baocao.ingest",
    "baocao.jobs",
    "baocao.sources",
    "baocao.web",
    "baocao.api",
    "baocao.ops",
    "baocao.notifications",
]

# One login throttle for every path that checks a password (web, admin): see baocao/web/throttle.py.
AUTHENTICATION_BACKENDS = ["baocao.web.throttle.ThrottledBackend"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "baocao.web.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "baocao.urls"
WSGI_APPLICATION = "baocao.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'baocao.sqlite3'}",
        conn_max_age=int(os.environ.get("BAOCAO_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Two test runs on one server must not drop each other's databases: the test database is
    # named per run (scripts/run_tests.sh exports one id for all its workers).
    _run = os.environ.get("BAOCAO_TEST_RUN_ID") or f"p{os.getpid()}"
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{_run}"}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Readers must not block the writer during imports in the embedded default. Writers queue:
    # a transaction takes the write lock when it begins (IMMEDIATE), so one that read first never
    # fails with "database is locked" on its first write, and waits up to the busy timeout.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"
    )
    DATABASES["default"]["OPTIONS"]["timeout"] = 30
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# Login throttling counts failures in the cache, so worker processes must share it:
# Redis when configured, else files under var/ (the embedded default), memory in development.
BAOCAO_REDIS_URL = os.environ.get("BAOCAO_REDIS_URL", "")
if BAOCAO_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": BAOCAO_REDIS_URL}}
elif not DEBUG:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")},
        # Sessions in a folder of their own: culling it when full never drops the login throttle's counts.
        "sessions": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                     "LOCATION": str(VAR_DIR / "cache-sessions"), "OPTIONS": {"MAX_ENTRIES": 20000}},
    }  # fmt: skip
if BAOCAO_REDIS_URL or not DEBUG:
    # Every request reads its session: from the cache shared by the worker processes (Redis, or
    # the files above), written through to the database, which stays the record (a cache miss
    # reads it there). Not with the development server's per-process memory cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "default" if BAOCAO_REDIS_URL else "sessions"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/dang-nhap/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/dang-nhap/"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("BAOCAO_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Production serves the collected, compressed copies (`baocao manage collectstatic`, which
# deploy/baocao-web.service runs at each start); until they exist, the files in the apps.
WHITENOISE_USE_FINDERS = DEBUG or not (STATIC_ROOT / "web").is_dir()

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
BAOCAO_MAX_UPLOAD_BYTES = int(os.environ.get("BAOCAO_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# An entry-page upload above this size is imported as a background job, not in the request.
BAOCAO_INLINE_IMPORT_BYTES = int(os.environ.get("BAOCAO_INLINE_IMPORT_BYTES", str(2 * 1024 * 1024)))
# Files for background jobs (a national CSV of figures, a ZIP of reports) stream to disk.
BAOCAO_MAX_BULK_UPLOAD_BYTES = int(os.environ.get("BAOCAO_MAX_BULK_UPLOAD_BYTES", str(500 * 1024 * 1024)))
# Notifications are e-mailed only when mail is configured (BAOCAO_EMAIL_HOST, or another backend).
EMAIL_HOST = os.environ.get("BAOCAO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("BAOCAO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("BAOCAO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("BAOCAO_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("BAOCAO_EMAIL_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("BAOCAO_EMAIL_FROM", "baocao@localhost")
BAOCAO_SITE_URL = os.environ.get("BAOCAO_SITE_URL", "http://127.0.0.1:8000")

# Bounds on what one file may make a reader do (ZIP bombs, oversized text): baocao.core.limits.
# Each can be set from the environment, e.g. BAOCAO_LIMIT_MAX_MEMBER_BYTES=52428800.
import dataclasses as _dataclasses  # noqa: E402

from baocao.core import limits as _limits  # noqa: E402  (pure module, no Django)

BAOCAO_LIMITS = {
    f.name: int(os.environ[f"BAOCAO_LIMIT_{f.name.upper()}"])
    for f in _dataclasses.fields(_limits.Limits)
    if f"BAOCAO_LIMIT_{f.name.upper()}" in os.environ
}
_limits.configure(**BAOCAO_LIMITS)
BAOCAO_OUTPUT_DIR = Path(os.environ.get("BAOCAO_OUTPUT_DIR", PROJECT_DIR / "out"))
BAOCAO_BACKUP_DIR = Path(os.environ.get("BAOCAO_BACKUP_DIR", VAR_DIR / "backups"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts only from our own files (no inline script anywhere); style attributes stay allowed for
# progress bars and chart boxes whose width or height a template sets.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
if os.environ.get("BAOCAO_BEHIND_PROXY", "0") == "1":
    # nginx terminates TLS and sets this header itself (deploy/nginx-baocao.conf); trusted only then.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG and os.environ.get("BAOCAO_HTTPS", "1") == "1":
    # Production is HTTPS: cookies never travel in clear, browsers remember to use HTTPS.
    # BAOCAO_HTTPS=0 only for a closed network without TLS.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("BAOCAO_SSL_REDIRECT", "1") == "1"
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the local monitor asks over plain HTTP
    SECURE_HSTS_SECONDS = int(os.environ.get("BAOCAO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = os.environ.get("BAOCAO_HSTS_PRELOAD", "0") == "1"
    if not SECURE_HSTS_PRELOAD:
        # Joining browsers' preload list binds the whole domain (a province's gov.vn site):
        # the domain's owner decides that with BAOCAO_HSTS_PRELOAD=1, not this application.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BAOCAO_LOG_LEVEL", "WARNING")},
}
