"""Test settings: the real settings with a fast hasher, in-memory mail and a synchronous task queue."""

import os
import tempfile

os.environ.setdefault("HELPLINE_DATA_DIR", tempfile.mkdtemp(prefix="helpline-test-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-the-checks-0123456789")

from helpline.config.settings import *  # noqa: E402,F403
from helpline.config.settings import DATABASES, HUEY  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
HUEY = HUEY | {"immediate": True}
# Tests reach no outside service: the breach check is off unless a test points it at a local listener.
HELPLINE_PWNED_PASSWORDS_URL = ""
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
STORAGES = STORAGES | {  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}

if DATABASES["default"]["ENGINE"] == "helpline.core.sqlite":
    # A file, not the default in-memory database: tests that act from several threads at once need real
    # concurrent connections (in memory they share one cache, whose table locks ignore the busy timeout).
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(os.environ["HELPLINE_DATA_DIR"], "test.sqlite3")}

# Tests never run collectstatic: whitenoise looks files up per request instead of warning at start-up.
WHITENOISE_AUTOREFRESH = True
