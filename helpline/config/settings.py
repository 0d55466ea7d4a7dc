"""Helpline settings: every value comes from the environment (see README, "Configuration")."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from helpline.config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(env_str("HELPLINE_DATA_DIR", str(BASE_DIR / "var"))).resolve()

DEBUG = env_bool("DEBUG", False)
# A random key is generated into the data directory on first use so local runs need no set-up;
# production sets SECRET_KEY (or SECRET_KEY_FILE) explicitly.
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    from helpline.config.secret import local_secret_key

    SECRET_KEY = local_secret_key(DATA_DIR)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "helpline.core",
    "helpline.catalog",
    "helpline.people",
    "helpline.custom_fields",
    "helpline.sla",
    "helpline.routing",
    "helpline.security",
    "helpline.tickets",
    "helpline.mail",
    "helpline.audit",
    "helpline.staff",
    "helpline.portal",
    "helpline.inbound",
    "helpline.webhooks",
    "helpline.api",
    # Only for the static files of the API's documentation page, served from here (not a CDN) for the CSP.
    "ninja",
    "helpline.admin_panel",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request body: a form post Django cannot read is answered here, once.
    "helpline.core.middleware.UnreadableFormMiddleware",
    # The desk's settings are read at most once per request, and never carried over to the next.
    "helpline.core.desk.DeskSettingsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: the second sign-in step and the session lifetimes (helpline/security/).
    "helpline.security.middleware.SignInSecurityMiddleware",
    "helpline.core.middleware.TimeZoneMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    "helpline.audit.log.RequestAddressMiddleware",
]

# Forms render their fields with Django's Jinja2 templates (twice as fast), the admin's own widgets with
# Django templates; the pages' own templates stay Django templates.
FORM_RENDERER = "helpline.core.rendering.FormRenderer"

ROOT_URLCONF = "helpline.config.urls"
WSGI_APPLICATION = "helpline.config.wsgi.application"

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
                "django.template.context_processors.csp",
                "helpline.core.desk.context",
            ],
        },
    },
    # The parts of pages repeated per row (core/jinja_pages.py), from each app's jinja2/ folder.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "rows",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "helpline.core.jinja_pages.environment"},
    },
]

# Connections are kept between requests and tasks: opening one cost 1.1 ms on SQLite (more on PostgreSQL),
# paid by every request and by every task the worker ran (Huey's db_task closes "old" connections after
# each), several times per ticket opened. A kept connection is checked before each request reuses it.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'helpline.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 300),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN, so two
    # concurrent actions serialize instead of failing with "database is locked" on lock upgrade.
    DATABASES["default"]["ENGINE"] = "helpline.core.sqlite"
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    # Pwned Passwords' breach corpus by k-anonymity range; Django's common-password list when it cannot be
    # reached (or HELPLINE_PWNED_PASSWORDS_URL is empty).
    {"NAME": "helpline.people.passwords.BreachedPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is refused for the cool-off time. Keyed on the pair so nobody can lock an agent out from afar.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "helpline.core.client_ip.client_ip"
# How many reverse proxies in front of Helpline append to X-Forwarded-For (0: use the socket's address).
HELPLINE_PROXY_COUNT = env_int("HELPLINE_PROXY_COUNT", 1 if env_bool("BEHIND_PROXY", False) else 0)
# The range endpoint of the Pwned Passwords API (only the first five hex digits of a password's SHA-1 are
# sent); empty turns the breach check off, leaving Django's list of common passwords.
HELPLINE_PWNED_PASSWORDS_URL = env_str(
    "HELPLINE_PWNED_PASSWORDS_URL", "https://api.pwnedpasswords.com/range/"
)
PWNED_PASSWORDS = {"API_TIMEOUT": 2.0, "ADD_PADDING": True}
# A password-reset link works this long, and once (it depends on the password it replaces).
PASSWORD_RESET_TIMEOUT = 60 * env_int("HELPLINE_PASSWORD_RESET_MINUTES", 60, minimum=5)
# The name authenticator apps show beside an agent's TOTP entry.
OTP_TOTP_ISSUER = env_str("HELPLINE_OTP_ISSUER", "Helpline")
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "staff:login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "attachments"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# Upload bounds: a single attachment and the number of files per post (checked by the forms too).
HELPLINE_MAX_ATTACHMENT_BYTES = env_int("HELPLINE_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
HELPLINE_MAX_ATTACHMENTS = env_int("HELPLINE_MAX_ATTACHMENTS", 10)
# Requests per minute one API key or personal token may make (0: no limit).
HELPLINE_API_RATE_LIMIT = env_int("HELPLINE_API_RATE_LIMIT", 600)
# Open or pending tickets one requester may have at once through the portal (0: no limit).
HELPLINE_MAX_OPEN_TICKETS = env_int("HELPLINE_MAX_OPEN_TICKETS", 20)
# The portal's guards against automation (portal/protection.py); 0 turns each one off.
# Tickets one client address may open per hour: a burst of this many, then one every hour / this.
HELPLINE_PORTAL_TICKETS_PER_HOUR = env_int("HELPLINE_PORTAL_TICKETS_PER_HOUR", 20)
# Seconds that must pass between showing the open-ticket form and posting it.
HELPLINE_PORTAL_MIN_SECONDS = env_int("HELPLINE_PORTAL_MIN_SECONDS", 3)
# "Check a ticket's status" requests (each may email an access link) one client address may make per hour.
HELPLINE_PORTAL_LOOKUPS_PER_HOUR = env_int("HELPLINE_PORTAL_LOOKUPS_PER_HOUR", 10)
# Digits in a new ticket number (random, never starting with 0). Six give 900,000 numbers, the fewest
# that leave a busy desk room to draw a free one; the number column and the search box take 20.
HELPLINE_TICKET_NUMBER_DIGITS = env_int("HELPLINE_TICKET_NUMBER_DIGITS", 8, minimum=6, maximum=20)
# Inbound email: the largest message accepted (refused before it is stored), and the key that encrypts
# mailbox passwords (a Fernet key; unset: derived from SECRET_KEY).
HELPLINE_MAX_EMAIL_BYTES = env_int("HELPLINE_MAX_EMAIL_BYTES", 40 * 1024 * 1024)
HELPLINE_MAILBOX_KEY = env_str("HELPLINE_MAILBOX_KEY")
# A requester's email reply to a closed ticket reopens it within this many days; later it opens a new ticket
# that refers to the old one (0: always a new ticket).
HELPLINE_EMAIL_REOPEN_DAYS = env_int("HELPLINE_EMAIL_REOPEN_DAYS", 14)
# Automatic replies (the new-ticket confirmation by email) one sender may get per hour (0: no limit).
HELPLINE_AUTOREPLIES_PER_HOUR = env_int("HELPLINE_AUTOREPLIES_PER_HOUR", 5)
# Filter rules: how long one regular expression of a condition may search one text (milliseconds); past
# it the condition counts as not matching, so a pattern that is slow on some input cannot stall the intake.
HELPLINE_RULE_REGEX_TIMEOUT_MS = env_int("HELPLINE_RULE_REGEX_TIMEOUT_MS", 100, minimum=1, maximum=10_000)
# Permanent bounces after which mail to an address is held back instead of sent (0: never held).
HELPLINE_BOUNCES_TO_HOLD = env_int("HELPLINE_BOUNCES_TO_HOLD", 3)
# The soft lock an agent holds on a ticket while writing a reply: minutes it lasts after the last keystroke
# heartbeat (the page renews it about every 30 seconds while the text changes).
HELPLINE_REPLY_LOCK_MINUTES = env_int("HELPLINE_REPLY_LOCK_MINUTES", 5, minimum=1, maximum=60)
# Resolved tickets nobody answered for this many days close by themselves (0: never).
HELPLINE_AUTO_CLOSE_DAYS = env_int("HELPLINE_AUTO_CLOSE_DAYS", 7)
# Fetching mailboxes: messages taken per mailbox and run (the rest wait for the next), seconds any network
# operation may wait for the mail server, and a PEM file of the certificate authorities to trust instead of
# the system's (a private CA). Certificates are always verified.
HELPLINE_MAIL_FETCH_LIMIT = env_int("HELPLINE_MAIL_FETCH_LIMIT", 100, minimum=1)
HELPLINE_MAIL_TIMEOUT = env_int("HELPLINE_MAIL_TIMEOUT", 30, minimum=1)
HELPLINE_MAIL_CA_FILE = env_str("HELPLINE_MAIL_CA_FILE")
# Webhooks (README, "Webhooks"): the address ranges a hook may reach although they are private, loopback or
# link-local (comma-separated CIDR; empty: public addresses only), the seconds one request may take, and the
# deliveries in a row that may give up before the hook is switched off (0: never).
HELPLINE_WEBHOOK_ALLOWED_NETWORKS = env_list("HELPLINE_WEBHOOK_ALLOWED_NETWORKS")
HELPLINE_WEBHOOK_TIMEOUT = env_int("HELPLINE_WEBHOOK_TIMEOUT", 10, minimum=1, maximum=60)
HELPLINE_WEBHOOK_FAILURES_TO_DISABLE = env_int("HELPLINE_WEBHOOK_FAILURES_TO_DISABLE", 5, minimum=0)
HELPLINE_WEBHOOK_DELIVERY_DAYS = env_int("HELPLINE_WEBHOOK_DELIVERY_DAYS", 30, minimum=0)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = HELPLINE_MAX_ATTACHMENTS

# Security headers. HTTPS-only cookies and redirects are on unless DEBUG, or explicitly turned off
# for a plain-HTTP local run (make run sets HELPLINE_INSECURE_HTTP=1).
_HTTPS = not (DEBUG or env_bool("HELPLINE_INSECURE_HTTP", False))
SESSION_COOKIE_SECURE = _HTTPS
CSRF_COOKIE_SECURE = _HTTPS
SECURE_SSL_REDIRECT = _HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if _HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _HTTPS
SECURE_HSTS_PRELOAD = _HTTPS and env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Single sign-on for agents (README, "Single sign-on"), off unless configured. OpenID Connect: on when
# HELPLINE_OIDC_ISSUER is set; the provider's endpoints are given as its discovery document lists them, so
# starting Helpline never waits for the provider. The OIDC_* names are mozilla-django-oidc's.
HELPLINE_OIDC_ISSUER = env_str("HELPLINE_OIDC_ISSUER").strip()
HELPLINE_OIDC_ENABLED = bool(HELPLINE_OIDC_ISSUER)
HELPLINE_OIDC_PROVIDER_NAME = env_str("HELPLINE_OIDC_PROVIDER_NAME", "single sign-on")
OIDC_RP_CLIENT_ID = env_str("HELPLINE_OIDC_CLIENT_ID")
OIDC_RP_CLIENT_SECRET = env_str("HELPLINE_OIDC_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("HELPLINE_OIDC_AUTHORIZATION_ENDPOINT").strip()
OIDC_OP_TOKEN_ENDPOINT = env_str("HELPLINE_OIDC_TOKEN_ENDPOINT").strip()
OIDC_OP_USER_ENDPOINT = env_str("HELPLINE_OIDC_USERINFO_ENDPOINT").strip()
OIDC_OP_JWKS_ENDPOINT = env_str("HELPLINE_OIDC_JWKS_ENDPOINT").strip()
OIDC_RP_SIGN_ALGO = env_str("HELPLINE_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_CREATE_USER = False  # an administrator creates every agent; a sign-in never makes an account
OIDC_USE_NONCE = True
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "staff:oidc_callback"
OIDC_TIMEOUT = env_int("HELPLINE_OIDC_TIMEOUT", 10, minimum=1)
# Certificates are always verified; a PEM file of authorities replaces the system's (a private CA).
OIDC_VERIFY_SSL: str | bool = env_str("HELPLINE_OIDC_CA_FILE") or True
if HELPLINE_OIDC_ENABLED:
    from helpline.config.sso import OIDC_BACKEND, check_oidc_environment, origin

    check_oidc_environment()
    AUTHENTICATION_BACKENDS.append(OIDC_BACKEND)
    # The sign-in button's form is answered by a redirect to the provider, which form-action must allow.
    SECURE_CSP |= {"form-action": [CSP.SELF, origin(OIDC_OP_AUTHORIZATION_ENDPOINT)]}

# LDAP: on when HELPLINE_LDAP_SERVER_URI is set; the staff sign-in form then also accepts the directory's
# password. The AUTH_LDAP_* names are django-auth-ldap's.
HELPLINE_LDAP_SERVER_URI = env_str("HELPLINE_LDAP_SERVER_URI").strip()
HELPLINE_LDAP_ENABLED = bool(HELPLINE_LDAP_SERVER_URI)
# How a directory entry names its agent: "email" (the entry's email attribute) or "username" (the name typed).
HELPLINE_LDAP_MATCH_BY = env_str("HELPLINE_LDAP_MATCH_BY", "email").strip().lower()
HELPLINE_LDAP_EMAIL_ATTRIBUTE = env_str("HELPLINE_LDAP_EMAIL_ATTRIBUTE", "mail").strip()
if HELPLINE_LDAP_ENABLED:
    from helpline.config.sso import (
        LDAP_BACKEND,
        check_ldap_environment,
        ldap_connection_options,
        ldap_user_search,
    )

    check_ldap_environment()
    AUTH_LDAP_SERVER_URI = HELPLINE_LDAP_SERVER_URI
    AUTH_LDAP_START_TLS = env_bool("HELPLINE_LDAP_START_TLS", False)
    AUTH_LDAP_BIND_DN = env_str("HELPLINE_LDAP_BIND_DN")
    AUTH_LDAP_BIND_PASSWORD = env_str("HELPLINE_LDAP_BIND_PASSWORD")
    AUTH_LDAP_USER_DN_TEMPLATE = env_str("HELPLINE_LDAP_USER_DN_TEMPLATE") or None
    AUTH_LDAP_USER_SEARCH = ldap_user_search()
    AUTH_LDAP_CONNECTION_OPTIONS = ldap_connection_options(
        env_int("HELPLINE_LDAP_TIMEOUT", 10, minimum=1), env_str("HELPLINE_LDAP_CA_FILE")
    )
    AUTHENTICATION_BACKENDS.append(LDAP_BACKEND)

# Outgoing mail (Django 6.1's MAILERS). EMAIL_URL picks the transport:
#   smtp://user:pass@host:587?tls=1 | file:///path | console: | (unset: file backend in the data dir)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Helpline <helpdesk@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
from helpline.config.mailers import mailers_from_url  # noqa: E402

MAILERS = mailers_from_url(env_str("EMAIL_URL"), DATA_DIR)

# Task queue: Huey with SQLite storage in the data directory by default, Redis with HUEY_REDIS_URL.
# Nothing reads a task's return value, so none is stored: Huey would keep each one (a Redis key, a
# SQLite row) until read, and nobody ever does.
HUEY = {
    "name": "helpline",
    "results": False,
    "immediate": env_bool("HUEY_IMMEDIATE", False),
    "utc": True,
    # SIGTERM (what service managers and `make run` send) stops the worker gracefully: it finishes the tasks
    # it holds, within HUEY_SHUTDOWN_SECONDS; SIGINT stops it at once.
    "consumer": {
        "workers": env_int("HUEY_WORKERS", 2),
        "worker_type": "thread",
        "graceful_signal": "TERM",
        "shutdown_timeout": env_int("HUEY_SHUTDOWN_SECONDS", 60),
    },
}
if env_str("HUEY_REDIS_URL"):
    HUEY |= {"huey_class": "huey.RedisHuey", "url": env_str("HUEY_REDIS_URL")}
else:
    HUEY |= {
        "huey_class": "helpline.config.queue.HelplineSqliteHuey",
        "filename": str(DATA_DIR / "tasks.sqlite3"),
    }

# Django's cache: only the API's rate limits count in it. Each process keeps its own (local memory) unless
# HELPLINE_CACHE_URL names a Redis server that every app server shares; then a limit is one limit.
if env_str("HELPLINE_CACHE_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("HELPLINE_CACHE_URL"),
            "KEY_PREFIX": "helpline",
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "[%(asctime)s] %(levelname)s %(name)s: %(message)s"}},
    "filters": {"quiet_tasks": {"()": "helpline.core.task_log.QuietTasks"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # run_huey adds a second handler of its own unless the "huey" logger already has one.
    "loggers": {"huey": {"handlers": ["console"], "propagate": False, "filters": ["quiet_tasks"]}},
}
