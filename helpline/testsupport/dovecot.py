"""A throwaway Dovecot (IMAP and POP3, plain, STARTTLS and implicit TLS) on free loopback ports, a direct child
of this process, with its own configuration, users and certificate authority in a temporary directory.

Started once per test session (about 30 ms to answer, a second to stop); each test adds its own user, so
tests share the server and nothing else. Two test runs at once each get their own ports and directory."""

import contextlib
import ctypes
import grp
import imaplib
import itertools
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpline.testsupport.certs import make_authority, write_server_certificate

HOST = "127.0.0.1"
LISTENERS = ("imap", "imaps", "pop3", "pop3s")

CONFIG = """\
protocols = imap pop3
listen = {host}
base_dir = {dir}/run
state_dir = {dir}/state
log_path = {dir}/dovecot.log
login_greeting = {greeting}
{internal_users}
ssl = yes
ssl_cert = <{dir}/server.crt
ssl_key = <{dir}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:{dir}/mail/%u
passdb {{
  driver = passwd-file
  args = {dir}/users/%u
}}
userdb {{
  driver = passwd-file
  args = {dir}/users/%u
  default_fields = uid={mail_user} gid={mail_group} home={dir}/mail/%u
}}
# No auth penalty (every login from an address delayed, up to 15 s, after a failed one): all tests connect
# from the loopback, and one test's wrong password would slow the others.
service anvil {{
  chroot =
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = {host}
    port = {imap}
  }}
  inet_listener imaps {{
    address = {host}
    port = {imaps}
    ssl = yes
  }}
}}
service pop3-login {{
  chroot =
  inet_listener pop3 {{
    address = {host}
    port = {pop3}
  }}
  inet_listener pop3s {{
    address = {host}
    port = {pop3s}
    ssl = yes
  }}
}}
"""


@dataclass(frozen=True)
class MailUser:
    name: str
    password: str


def dovecot_binary() -> str:
    # In sbin, which an ordinary user's PATH may lack.
    found = shutil.which("dovecot") or shutil.which("dovecot", path="/usr/sbin:/sbin")
    if found is None:
        raise RuntimeError("dovecot not found (apt-get install dovecot-imapd dovecot-pop3d)")
    return found


def _die_with_parent() -> None:
    """Run in the child before Dovecot starts: on Linux, Dovecot is sent SIGTERM when the test run dies, even
    when it is killed, so no server outlives the run."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: stopped at session end only
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class TempDovecot:
    """``with TempDovecot() as server:`` gives ``server.port(name)`` for each listener, ``server.ca_file``
    (the authority that signed its certificate), ``add_user()``, ``deliver()`` and ``messages()``."""

    def __init__(self) -> None:
        self.dir: Path | None = None
        self.ports: dict[str, int] = {}
        self._process: subprocess.Popen | None = None
        self._greeting = f"helpline-test-{secrets.token_hex(6)}"
        self._users = itertools.count(1)

    # --- running it -----------------------------------------------------------------------------------

    def start(self) -> "TempDovecot":
        self.dir = Path(tempfile.mkdtemp(prefix="helpline-dovecot-"))
        self.dir.chmod(0o755)  # Dovecot's unprivileged processes read below it
        for sub in ("run", "state", "mail", "users"):
            (self.dir / sub).mkdir()
        self._write_certificates()
        user, group = self._mail_owner()
        if os.geteuid() == 0:
            shutil.chown(self.dir / "mail", user, group)  # mail processes may not run as root
        # A port taken between choosing it and Dovecot binding it (another run starting at that moment)
        # makes Dovecot exit: choose again.
        for _attempt in range(3):
            self.ports = {name: free_port() for name in LISTENERS}
            self._write_config(user, group)
            with (self.dir / "stderr.log").open("ab") as stderr:  # where a bad configuration is told
                self._process = subprocess.Popen(
                    [dovecot_binary(), "-F", "-c", str(self.dir / "dovecot.conf")],
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    preexec_fn=_die_with_parent,  # started before the run's test threads
                )
            if self._wait_until_ready():
                return self
        told = "".join(
            (self.dir / name).read_text(errors="replace")[-2000:]
            for name in ("stderr.log", "dovecot.log")
            if (self.dir / name).exists()
        )
        self.stop()
        raise RuntimeError(f"Dovecot did not start:\n{told}")

    def _mail_owner(self) -> tuple[str, str]:
        if os.geteuid() == 0:
            return "nobody", "nogroup"
        return pwd.getpwuid(os.geteuid()).pw_name, grp.getgrgid(os.getegid()).gr_name

    def _write_certificates(self) -> None:
        assert self.dir is not None
        authority = make_authority("Helpline test CA")
        self.ca_file = authority.write(self.dir / "ca.pem")
        write_server_certificate(authority, self.dir, ip=HOST)
        # A second authority that signed nothing here: trusting it instead must fail verification.
        self.other_ca_file = make_authority("Some other CA").write(self.dir / "other-ca.pem")

    def _write_config(self, user: str, group: str) -> None:
        assert self.dir is not None
        internal = ""
        if os.geteuid() != 0:  # Dovecot's own users do not exist for us: run everything as ourselves
            internal = (
                f"default_internal_user = {user}\ndefault_internal_group = {group}\n"
                f"default_login_user = {user}"
            )
        config = CONFIG.format(
            host=HOST,
            dir=self.dir,
            greeting=self._greeting,
            internal_users=internal,
            mail_user=user,
            mail_group=group,
            **self.ports,
        )
        (self.dir / "dovecot.conf").write_text(config)

    def _wait_until_ready(self) -> bool:
        """True once the server greets with this run's greeting (then every listener is bound: Dovecot
        binds them all before it serves); False when it exited."""
        assert self._process is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self._process.wait()
                return False
            try:
                with socket.create_connection((HOST, self.ports["imap"]), timeout=2) as probe:
                    if self._greeting.encode() in probe.recv(200):
                        return True
            except OSError:
                pass
            time.sleep(0.01)
        self._stop_process()
        return False

    def _stop_process(self) -> None:
        if self._process is not None:
            if self._process.poll() is None:
                self._process.terminate()
            self._process.wait(timeout=20)
            self._process = None

    def stop(self) -> None:
        self._stop_process()
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> "TempDovecot":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def port(self, listener: str) -> int:
        return self.ports[listener]

    # --- users and their mail -------------------------------------------------------------------------

    def add_user(self, password: str | None = None, *, capability: str = "") -> MailUser:
        """A new user with an empty INBOX. ``capability`` replaces what IMAP announces after login (one
        word, e.g. ``IMAP4rev1``: a server without MOVE and UIDPLUS, though Dovecot still runs them)."""
        assert self.dir is not None
        user = MailUser(f"user{next(self._users)}@example.test", password or secrets.token_urlsafe(12))
        extra = f"userdb_imap_capability={capability}" if capability else ""
        # A passwd-file per user (user:password:uid:gid:gecos:home:shell:extra fields): Dovecot reads a
        # changed file again at most once a second, a new one at once.
        (self.dir / "users" / user.name).write_text(f"{user.name}:{{PLAIN}}{user.password}::::::{extra}\n")
        return user

    def imap(self, user: MailUser) -> imaplib.IMAP4:
        """A signed-in IMAP session of ``user`` over the plain port (for the test's own checks)."""
        session = imaplib.IMAP4(HOST, self.ports["imap"], timeout=10)
        credentials = f"\0{user.name}\0{user.password}".encode()  # SASL PLAIN: UTF-8 passwords too
        session.authenticate("PLAIN", lambda _challenge: credentials)
        return session

    def deliver(self, user: MailUser, *messages: bytes, folder: str = "INBOX") -> None:
        session = self.imap(user)
        try:
            if folder != "INBOX":
                session.create(folder)
            for message in messages:
                typ, data = session.append(folder, "", imaplib.Time2Internaldate(time.time()), message)
                assert typ == "OK", data
        finally:
            session.logout()

    def messages(self, user: MailUser, folder: str = "INBOX") -> list[tuple[bytes, bytes]]:
        """Every message in ``folder`` as (flags, bytes), read without changing any flag; [] when the
        folder does not exist."""
        session = self.imap(user)
        try:
            typ, count = session.select(folder, readonly=True)
            if typ != "OK" or count[0] == b"0":
                return []
            typ, data = session.fetch("1:*", "(FLAGS BODY.PEEK[])")
            found = []
            for item in data:
                if isinstance(item, tuple):
                    head, body = item
                    flags = head.split(b"FLAGS (", 1)[1].split(b")", 1)[0]
                    found.append((flags, body))
            return found
        finally:
            session.logout()


@pytest.fixture(scope="session")
def dovecot() -> Iterator[TempDovecot]:
    with TempDovecot() as server:
        yield server
