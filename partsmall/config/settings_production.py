"""Production: HTTPS behind a reverse proxy. Refuses to start when unsafe."""

import os

from django.core.exceptions import ImproperlyConfigured

if not os.environ.get("SECRET_KEY"):
    raise ImproperlyConfigured("Production needs SECRET_KEY in the environment.")

from partsmall.config.settings import *  # noqa: E402, F403
from partsmall.config.settings import REDIS_URL, env_bool, env_int  # noqa: E402

if env_bool("DEBUG", default=False):
    raise ImproperlyConfigured("Production refuses to start with DEBUG on.")
DEBUG = False
DEVELOPER_INBOX_ENABLED = False

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SMS_BACKEND = os.environ.get("SMS_BACKEND", "partsmall.core.sms.LogSmsBackend")
