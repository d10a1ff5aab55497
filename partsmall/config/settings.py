"""Settings of the embedded default (`make run`) and of development.

Everything that differs between deployments comes from the environment and is parsed
strictly (see env.py). Production adds its hardening in settings_production.py.
"""

import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from partsmall.config.env import (
    env_bool,
    env_database,
    env_int,
    env_list,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "partsmall"
VAR_DIR = Path(env_str("PARTSMALL_VAR_DIR", str(BASE_DIR / "var")))


def _embedded_secret_key() -> str:
    """The embedded default keeps a generated key under var/ so sessions survive restarts."""
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY") or _embedded_secret_key()
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "partsmall.core",
    "partsmall.accounts",
    "partsmall.notifications",
    "partsmall.organizations",
    "partsmall.integrations",
    "partsmall.vehicles",
    "partsmall.catalog",
    "partsmall.pricing",
    "partsmall.inventory",
    "partsmall.search",
    "partsmall.orders",
    "partsmall.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Messages before the organization middleware: it tells an ended session why.
    "django.contrib.messages.middleware.MessageMiddleware",
    "partsmall.organizations.middleware.ActiveOrganizationMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "partsmall.config.urls"
WSGI_APPLICATION = "partsmall.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "partsmall.organizations.context_processors.workspace",
            ],
        },
    },
]

DATABASES = {
    "default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'partsmall.sqlite3'}"),
}
DATABASE_PREPARED_STATEMENTS = env_bool("DATABASE_PREPARED_STATEMENTS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue on the busy timeout instead of failing mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
elif DATABASE_PREPARED_STATEMENTS:
    # PostgreSQL: a statement that a connection runs more than 5 times is prepared there
    # (psycopg's automatic preparation), for the statements that bind their parameters on
    # the server: those of core.sql (checkout, the stock ledger, prices), parsed and
    # planned once per connection instead of on every call (bench/checkout). The ORM's
    # cursors bind on the client and prepare nothing. Behind a transaction-pooling
    # PgBouncer, which cannot keep prepared statements, set DATABASE_PREPARED_STATEMENTS=false.
    DATABASES["default"].setdefault("OPTIONS", {}).update(prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "", schemes={"redis", "rediss"})
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["partsmall.accounts.backends.PhonePasswordBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "organizations:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 24 * 7, minimum=300)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "partsmall.integrations.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["partsmall.organizations.access.DeclaredAccess"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "EXCEPTION_HANDLER": "partsmall.core.apis.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "PartsMall API",
    "DESCRIPTION": "汽配商城 B2B API: organizations, members, onboarding and inbox.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from our own static files (npm swagger-ui-dist), never from a CDN.
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui/favicon-32x32.png",
    # Several models have a "status" / "kind": name their enums after the model.
    "ENUM_NAME_OVERRIDES": {
        "OrganizationStatusEnum": "partsmall.organizations.models.Organization.Status",
        "OrganizationKindEnum": "partsmall.organizations.models.Organization.Kind",
        "ApplicationStatusEnum": "partsmall.organizations.models.Application.Status",
        "ImportJobStatusEnum": "partsmall.catalog.models.ImportJob.Status",
        "ImportJobKindEnum": "partsmall.catalog.models.ImportJob.Kind",
        "SupplierOrderStatusEnum": "partsmall.orders.models.SupplierOrder.Status",
        "SupplierOrderPaymentStatusEnum": "partsmall.orders.models.SupplierOrder.PaymentStatus",
        "ReturnRequestStatusEnum": "partsmall.orders.models.ReturnRequest.Status",
        "ReturnRequestReasonEnum": "partsmall.orders.models.ReturnRequest.Reason",
        "PriceSourceEnum": "partsmall.pricing.models.PriceSource",
        "CheckoutApprovalStatusEnum": "partsmall.orders.models.Checkout.ApprovalStatus",
    },
}

# Background work. The embedded default needs no broker server: kombu's SQLAlchemy
# transport keeps the queue in a SQLite file beside the database.
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Imports whose background work went quiet for 10 minutes are woken again.
    "catalog-imports-requeue": {"task": "catalog.imports_requeue", "schedule": 300.0},
    # Orders: unpaid orders close, unapproved checkouts are cancelled, delivered orders complete.
    "orders-timeouts": {"task": "orders.timeouts_run", "schedule": 60.0},
}

# Checkout (orders): an unpaid order's payment deadline; how long a checkout waits for
# its purchase approval before it is cancelled and its stock released.
ORDERS_PAYMENT_TIMEOUT_MINUTES = env_int("ORDERS_PAYMENT_TIMEOUT_MINUTES", 30, minimum=1)
ORDERS_APPROVAL_TIMEOUT_HOURS = env_int("ORDERS_APPROVAL_TIMEOUT_HOURS", 24, minimum=1)
# Order lifecycle: delivered orders complete by themselves this many days after delivery
# (unless a return is open); returns may be requested this many days after delivery.
ORDERS_AUTO_COMPLETE_DAYS = env_int("ORDERS_AUTO_COMPLETE_DAYS", 7, minimum=1)
ORDERS_RETURN_WINDOW_DAYS = env_int("ORDERS_RETURN_WINDOW_DAYS", 7, minimum=0)

# Import kinds that live in apps above the catalogue, by dotted path (the catalogue's import
# framework loads them; it never imports those apps): inventory's stock sheet 库存表.
CATALOG_IMPORT_KINDS = ["partsmall.inventory.imports.StockKind"]
# Inventory: a stock level is "low" when on_hand − reserved is at or below its own
# threshold, or this one when it has none.
INVENTORY_LOW_STOCK_DEFAULT = env_int("INVENTORY_LOW_STOCK_DEFAULT", 5, minimum=0)

SMS_BACKEND = env_str("SMS_BACKEND", "partsmall.core.sms.DeveloperInboxSmsBackend")
# The developer inbox shows every SMS the embedded default "sent"; never in production.
DEVELOPER_INBOX_ENABLED = env_bool("DEVELOPER_INBOX_ENABLED", default=True)

# Login throttling and SMS limits (accounts).
LOGIN_MAX_FAILURES_PER_PHONE = env_int("LOGIN_MAX_FAILURES_PER_PHONE", 5, minimum=1)
LOGIN_MAX_FAILURES_PER_IP = env_int("LOGIN_MAX_FAILURES_PER_IP", 20, minimum=1)
LOGIN_CAPTCHA_AFTER_FAILURES = env_int("LOGIN_CAPTCHA_AFTER_FAILURES", 3, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
SMS_CODE_COOLDOWN_SECONDS = env_int("SMS_CODE_COOLDOWN_SECONDS", 60, minimum=1)
SMS_CODE_VALID_SECONDS = env_int("SMS_CODE_VALID_SECONDS", 300, minimum=30)
SMS_DAILY_CAP_PER_PHONE = env_int("SMS_DAILY_CAP_PER_PHONE", 10, minimum=1)
SMS_DAILY_CAP_PER_IP = env_int("SMS_DAILY_CAP_PER_IP", 50, minimum=1)
# The client IP used by lock-outs and SMS caps is REMOTE_ADDR; behind exactly one trusted
# proxy that appends to X-Forwarded-For, set this to take the last entry instead.
TRUST_X_FORWARDED_FOR = env_bool("TRUST_X_FORWARDED_FOR", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "jieba": {"level": "WARNING"}},
}
