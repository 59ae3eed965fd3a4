"""Settings for the pro bono directory, read from the environment (docs/operations.md)."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from probono.middleware import static_file_headers
from probono.release import code_version

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name, default)
    if value.lower() not in ("true", "false"):
        raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {value!r}")
    return value.lower() == "true"


def envint(name, default):
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, not {value!r}") from None


def envlist(name, default):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name):
    """A secret from NAME, or from the file that NAME_FILE points to (Docker secrets)."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, "")


DEBUG = envbool("DEBUG", "false")

SECRET_KEY = envsecret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-used-only-with-debug-on"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    # Before the admin, so that its translation fields reach the admin forms.
    "modeltranslation",
    # Django's admin with our AdminSite (second factor) and user admin (history kept).
    "probono.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_countries",
    "django_filters",
    "import_export",
    "simple_history",
    "taggit",
    "networks",
    "initiatives",
]

MIDDLEWARE = [
    # First, so that every response and every log line about a request carries its id.
    "probono.errors.request_id",
    # The security headers first: static files, cached pages and 304s answer from below them.
    "probono.middleware.cross_origin_resource_policy",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Above the page cache, so that cached API responses get their CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise, which sends static files compressed in advance; above the page cache,
    # which keeps pages as they are and has them compressed on their way out.
    "probono.middleware.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "probono.i18n.admin_language",
    # A database that is down or too slow gets readers a 503 page that says so, not a 500.
    "probono.health.DatabaseUnavailableMiddleware",
    # Readers' pages read replicas, if any, once they have replayed the last write.
    "probono.replicas.replica_reads",
    "probono.caching.PageCacheMiddleware",
    # Below the page cache, so that only what reaches a view counts against the limits.
    "probono.ratelimits.RateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so that it sees every failed login.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Five failed logins lock that username from that address for an hour.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"

# --- The admin: second factor and client addresses (docs/security.md: the admin) ---
# Staff with a confirmed TOTP device (django-otp) give its code at login; in production,
# superusers without one cannot use the admin until they enroll (manage.py add_totp_device).
ADMIN_REQUIRE_OTP_FOR_SUPERUSERS = envbool(
    "ADMIN_REQUIRE_OTP_FOR_SUPERUSERS", "true" if not DEBUG else "false"
)
OTP_TOTP_ISSUER = "Pro Bono Directory"
# Lockouts count by REMOTE_ADDR, so a forged X-Forwarded-For changes nothing. Behind N reverse
# proxies that each append the address they saw to X-Forwarded-For, TRUSTED_PROXY_COUNT=N
# takes the client's address from there instead.
TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", "0")
AXES_CLIENT_IP_CALLABLE = "probono.admin_site.client_ip"
# --- end of the admin block ---

# The admin's address, e.g. ADMIN_PATH=editors-7f3a/ to keep it off the usual scanners' lists.
ADMIN_PATH = os.environ.get("ADMIN_PATH", "admin/").strip("/") + "/"

ROOT_URLCONF = "probono.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "probono.i18n.languages",
            ],
        },
    },
]

# --- The database (docs/operations.md: Running in production) ---
# Each of a gunicorn worker's threads (GUNICORN_THREADS) serves one request at a time and keeps
# one persistent connection (DB_CONN_MAX_AGE), checked before every request reuses it: after a
# PostgreSQL restart the first request reconnects instead of failing.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", "0"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A server that is down or unreachable costs a request seconds, not a hung worker; a
    # runaway query is cancelled before gunicorn's worker timeout would kill the worker.
    DATABASES["default"]["OPTIONS"] = {
        "connect_timeout": envint("DB_CONNECT_TIMEOUT", "3"),
        # Parallel workers cost a request more to start than its short queries save, and take
        # the cores that other requests are waiting for.
        "options": f"-c statement_timeout={envint('DB_STATEMENT_TIMEOUT', '20')}s"
        " -c max_parallel_workers_per_gather=0",
        **DATABASES["default"].get("OPTIONS", {}),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several gunicorn workers writing at once (logins, say) wait for the lock instead of
    # failing with "database is locked" when a read turns into a write.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
# Behind PgBouncer in transaction mode (DATABASE_POOLING=transaction), a connection's startup
# options do not reach PostgreSQL (PgBouncer refuses them): set them on the database instead
# (docs/edge.md). Prepared statements are off (Django's default with psycopg 3), and server-side
# cursors are only used inside transactions (initiatives/exports.py).
DATABASE_POOLING = os.environ.get("DATABASE_POOLING", "session")
if DATABASE_POOLING not in ("session", "transaction"):
    raise ImproperlyConfigured("DATABASE_POOLING must be 'session' or 'transaction'.")
if DATABASE_POOLING == "transaction":
    DATABASES["default"].get("OPTIONS", {}).pop("options", None)
# Read replicas (docs/edge.md): readers' pages read them once they have replayed the last write
# (probono/replicas.py), which needs the versions' Redis (CACHE_URL) shared by every process.
DATABASE_REPLICAS = []
for number, url in enumerate(envlist("DATABASE_REPLICA_URLS", ""), start=1):
    if not os.environ.get("CACHE_URL"):
        raise ImproperlyConfigured("DATABASE_REPLICA_URLS needs CACHE_URL (docs/edge.md).")
    replica = dj_database_url.parse(
        url, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"], conn_health_checks=True
    )
    replica["OPTIONS"] = {**DATABASES["default"].get("OPTIONS", {}), **replica.get("OPTIONS", {})}
    replica["TEST"] = {"MIRROR": "default"}
    DATABASES[f"replica{number}"] = replica
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = ["initiatives.search.SearchIndexRouter", "probono.replicas.ReplicaRouter"]
# The container's health check asks over plain HTTP on loopback, never redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# --- end of the database block ---
# --- Errors: logged, and mailed if asked (docs/operations.md: Errors and logs) ---
# Every error, with its traceback and the request's id, on stderr, where gunicorn's own log and
# the container's go. ADMINS=ops@example.org,… also get each server error by email.
ADMINS = [(address, address) for address in envlist("ADMINS", "")]
SERVER_EMAIL = DEFAULT_FROM_EMAIL = os.environ.get("SERVER_EMAIL", "directory@localhost")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_TIMEOUT = 10
EMAIL_SUBJECT_PREFIX = "[Pro Bono Directory] "
# The site's address, for links in emails sent outside a request (the moderation digest).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")
# Who gets the daily digest of what readers sent (docs/corrections.md); empty: every active
# staff member who may moderate and has an email address.
MODERATION_DIGEST_TO = envlist("MODERATION_DIGEST_TO", "")
# A reader's form sent sooner than this after it was shown is a robot's (initiatives/reports.py).
REPORT_MIN_SECONDS = 3
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "probono.errors.RequestIdFilter"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
        # A database outage answers every reader 503 (probono/health.py): one email each would
        # hold each request on the SMTP server while the site is already struggling.
        "not_unavailable": {
            "()": "django.utils.log.CallbackFilter",
            "callback": lambda record: getattr(record, "status_code", None) != 503,
        },
    },
    "formatters": {
        "line": {
            "format": "%(asctime)s %(levelname)s %(name)s [request %(request_id)s] %(message)s"
        }
    },
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "line",
        },
        "null": {"class": "logging.NullHandler"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "filters": ["require_debug_false", "not_unavailable"],
            "level": "ERROR",
        },
    },
    "root": {"handlers": ["stderr"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Django's own console handler prints only with DEBUG on. 404s and other 4xx are in
        # gunicorn's access log already; here, server errors.
        "django": {"handlers": ["stderr", "mail_admins"], "level": "WARNING", "propagate": False},
        "django.request": {"level": "ERROR"},
        # A request for a host not in ALLOWED_HOSTS: a scanner, answered 400; gunicorn's access
        # log has it, without the traceback Django would attach to each.
        "django.security.DisallowedHost": {"handlers": ["null"], "propagate": False},
    },
}
# --- end of the errors block ---
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- The cache and rate limits (docs/operations.md: Redis, Rate limits) ---
# Local memory for one process; Redis (CACHE_URL=redis://host:6379/0) as soon as several
# processes serve the site, so that they share the versions writes move and the page cache.
# Each release keeps its own pages and counts there: a deploy never serves what the previous
# code rendered. The versions are shared by every release: a write made by either must reach
# the readers of both while they run side by side. A Redis that is down or full costs a request
# at most these timeouts per operation, then pages are rendered without it (probono/cache.py).
if os.environ.get("CACHE_URL"):
    REDIS_OPTIONS = {
        "socket_connect_timeout": envint("CACHE_TIMEOUT_MS", "500") / 1000,
        "socket_timeout": envint("CACHE_TIMEOUT_MS", "500") / 1000,
    }
    CACHES = {
        "default": {
            "BACKEND": "probono.cache.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "KEY_PREFIX": code_version(BASE_DIR),
            "OPTIONS": REDIS_OPTIONS,
        },
        "versions": {
            "BACKEND": "probono.cache.RedisCache",
            "LOCATION": os.environ["CACHE_URL"],
            "KEY_PREFIX": "directory",
            "OPTIONS": REDIS_OPTIONS,
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "versions": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "versions",
        },
    }
# A shared cache in front (Varnish, a CDN: docs/edge.md) keeps what the page cache keeps, for
# SHARED_CACHE_MAX_AGE seconds, and is purged after each write at SHARED_CACHE_PURGE_URLS. No
# shared cache is offered anything unless asked: one that nobody purges would serve old pages.
SHARED_CACHE_PURGE_URLS = envlist("SHARED_CACHE_PURGE_URLS", "")
SHARED_CACHE_MAX_AGE = envint("SHARED_CACHE_MAX_AGE", "86400" if SHARED_CACHE_PURGE_URLS else "0")
# Any other spelling of a page's address, as the page cache keeps it (probono/caching.py).
SHARED_CACHE_NONCANONICAL_MAX_AGE = 60
SHARED_CACHE_STALE_WHILE_REVALIDATE = 60
SHARED_CACHE_STALE_IF_ERROR = envint("SHARED_CACHE_STALE_IF_ERROR", "86400")
# Requests per client address and RATE_LIMIT_WINDOW seconds, counted in the default cache
# (probono/ratelimits.py); 0 turns a limit off. Past it, a 429 page with Retry-After.
RATE_LIMIT_WINDOW = envint("RATE_LIMIT_WINDOW", "60")
RATE_LIMITS = {
    "exports": envint("RATE_LIMIT_EXPORTS", "10"),
    "searches": envint("RATE_LIMIT_SEARCHES", "60"),
    "logins": envint("RATE_LIMIT_LOGINS", "10"),
    "imports": envint("RATE_LIMIT_IMPORTS", "20"),
    "pages": envint("RATE_LIMIT_PAGES", "300"),
    "reports": envint("RATE_LIMIT_REPORTS", "5"),
    "alerts": envint("RATE_LIMIT_ALERTS", "5"),
    "api": envint("RATE_LIMIT_API", "60"),
}
# A cache that is down limits nothing, rather than everything.
RATELIMIT_FAIL_OPEN = True
# --- end of the cache and rate limits block ---

# --- Security: HTTPS, headers and cookies (docs/security.md: headers and cookies) ---
# Plain HTTP gets a redirect to HTTPS when DEBUG is off. Behind a proxy that ends TLS, name the
# header it sets, e.g. SECURE_PROXY_SSL_HEADER=X-Forwarded-Proto, or every request redirects.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "false" if DEBUG else "true")
if proxy_header := os.environ.get("SECURE_PROXY_SSL_HEADER", "").strip():
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + proxy_header.upper().replace("-", "_"), "https")
# Sent on HTTPS responses only. Preloading is a commitment browsers keep for months, so it is the
# operator's choice; without it Django's check for the preload flag has nothing to say.
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "false")
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Static files are for our pages only, like everything else (Cross-Origin-Resource-Policy).
WHITENOISE_ALLOW_ALL_ORIGINS = False
# ...but for the embeds' loader, which partners' pages load (probono/middleware.py).
WHITENOISE_ADD_HEADERS_FUNCTION = static_file_headers

# Readers never get a cookie; staff get two, only over HTTPS in production, out of scripts' reach
# (the admin sends the CSRF token from its forms, never from the cookie), not sent cross-site.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = "Lax"
if SESSION_COOKIE_SECURE:
    # Browsers keep a __Host- cookie only if it is Secure, for this very host, on every path.
    SESSION_COOKIE_NAME, CSRF_COOKIE_NAME = "__Host-sessionid", "__Host-csrftoken"

# No inline script or style anywhere: every page loads its JavaScript and CSS from our own files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        # The one style attribute in the admin, style="border-top: 0" on django-simple-history's
        # history page, allowed by its hash alone.
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",
        ],
        "img-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}
# --- end of the security block ---

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["probono.formats"]
TIME_ZONE = "UTC"
USE_I18N = True

# Content in English and French (django-modeltranslation): title_en, title_fr... A field without
# a value in the reader's language shows the other language's, marked as such.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("en", "fr"), "fr": ("en",), "en": ("fr",)}
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

TAGGIT_CASE_INSENSITIVE = True

# A CSV import with one invalid row saves nothing.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Importing needs the right to change entries; exporting, the right to view them.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
# An import's file (networks/import_uploads.py): refused past this size before anything reads
# it. 5 000 rows as the admin exports them take about 10 MB, 13 MB with descriptions in both
# languages. Between the preview and its confirmation it waits in the temporary directory under
# a name the site makes and signs; a preview left unconfirmed this long is removed.
IMPORT_MAX_UPLOAD_BYTES = envint("IMPORT_MAX_UPLOAD_BYTES", "16777216")
IMPORT_PREVIEW_MAX_AGE = envint("IMPORT_PREVIEW_MAX_AGE", "86400")
IMPORT_EXPORT_TMP_STORAGE_CLASS = "networks.import_uploads.UploadStorage"

SITE_NAME = "Pro Bono Directory"

# The sources' link checker and archiving (`manage.py check_sources`, docs/sources.md): whom
# sites can reach about it (named in its User-Agent; required to run it), how long it waits for
# each answer, and the page whose silence means the checker's own connection is down.
LINK_CHECK_CONTACT = os.environ.get("LINK_CHECK_CONTACT", "")
LINK_CHECK_TIMEOUT = envint("LINK_CHECK_TIMEOUT", "10")
LINK_CHECK_CANARY_URL = os.environ.get("LINK_CHECK_CANARY_URL", "https://www.wikipedia.org/")
# Seconds between two requests to one host: the Internet Archive crawler's rule, not a choice.
LINK_CHECK_HOST_INTERVAL = 1.0
WAYBACK_AVAILABILITY_URL = os.environ.get(
    "WAYBACK_AVAILABILITY_URL", "https://archive.org/wayback/available"
)
WAYBACK_SAVE_URL = os.environ.get("WAYBACK_SAVE_URL", "https://web.archive.org/save")
# archive.org's S3-like keys (https://archive.org/account/s3.php): without them, no captures.
WAYBACK_ACCESS_KEY = envsecret("WAYBACK_ACCESS_KEY")
WAYBACK_SECRET_KEY = envsecret("WAYBACK_SECRET_KEY")

# --- The JSON API (docs/api.md) ---
# Read-only, JSON only, for anyone: no session, no CSRF, no browsable pages.
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    # `format` is no parameter: JSON is the only format.
    "URL_FORMAT_OVERRIDE": None,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pro Bono Directory API",
    "DESCRIPTION": "Published pro bono initiatives, their facilitators and networks, read-only. "
    "The initiatives list takes the finder's own parameters; an unknown parameter or value is "
    "a 400 naming it.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (drf-spectacular-sidecar), never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}
# Any site may read the API from a browser; nothing else is shared across origins.
PUBLIC_API_PATHS = r"^/api/"
CORS_URLS_REGEX = PUBLIC_API_PATHS
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# The dumps of the whole directory (`manage.py build_dump`), served at /api/v1/dump.*.
DUMP_DIR = Path(os.environ.get("DUMP_DIR", BASE_DIR / "dumps"))
# --- end of the API block ---

# The benchmark's control views under /bench/ (`make bench`); never on in production.
BENCHMARK = envbool("BENCHMARK", "false")
if BENCHMARK:
    INSTALLED_APPS.append("bench")
