"""Settings for the test suite: fast hashing, eager Celery, a throwaway var/ dir."""

import os
import tempfile

os.environ.setdefault("PARTSMALL_VAR_DIR", tempfile.mkdtemp(prefix="partsmall-test-"))

from partsmall.config.settings import *  # noqa: E402, F403
from partsmall.config.settings import STATIC_ROOT  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
SMS_BACKEND = "partsmall.core.sms.DeveloperInboxSmsBackend"
DEVELOPER_INBOX_ENABLED = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# WhiteNoise warns at start-up when STATIC_ROOT is missing; tests serve no collected files.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
