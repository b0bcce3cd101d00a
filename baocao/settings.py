"""Django settings. Everything that differs between machines comes from the environment.

DATABASE_URL selects the database (SQLite by default, PostgreSQL in production);
BAOCAO_SECRET_KEY and BAOCAO_DEBUG must be set in production.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("BAOCAO_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("BAOCAO_DEBUG", "1") == "1"
_DEV_KEY = "insecure-development-key-set-BAOCAO_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("BAOCAO_SECRET_KEY", _DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("BAOCAO_SECRET_KEY must be set when BAOCAO_DEBUG=0")
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
    "baocao.web",
    "baocao.api",
]

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
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}
    }

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
WHITENOISE_USE_FINDERS = True

DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
BAOCAO_MAX_UPLOAD_BYTES = int(os.environ.get("BAOCAO_MAX_UPLOAD_BYTES", str(20 * 1024 * 1024)))
# An entry-page upload above this size is imported as a background job, not in the request.
BAOCAO_INLINE_IMPORT_BYTES = int(os.environ.get("BAOCAO_INLINE_IMPORT_BYTES", str(2 * 1024 * 1024)))
# Files for background jobs (a national CSV of figures, a ZIP of reports) stream to disk.
BAOCAO_MAX_BULK_UPLOAD_BYTES = int(os.environ.get("BAOCAO_MAX_BULK_UPLOAD_BYTES", str(500 * 1024 * 1024)))
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

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("BAOCAO_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BAOCAO_LOG_LEVEL", "WARNING")},
}
