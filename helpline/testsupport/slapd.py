"""A throwaway OpenLDAP server (Debian's slapd) on a free loopback port, a direct child of this process, with
its own configuration and database in a temporary directory, loaded with a small directory (``BASE_LDIF``).

Started once per test session; each test adds its own people (``add_person``), so tests share the server and
nothing else. Two test runs at once each get their own port and directory."""

import contextlib
import itertools
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpline.testsupport.certs import make_authority, write_server_certificate
from helpline.testsupport.dovecot import _die_with_parent, free_port

HOST = "127.0.0.1"
SUFFIX = "dc=example,dc=test"
ROOT_DN = f"cn=admin,{SUFFIX}"
PEOPLE = f"ou=people,{SUFFIX}"
GROUPS = f"ou=groups,{SUFFIX}"
ADMINS_GROUP = f"cn=helpdesk-admins,{GROUPS}"

CONFIG = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {dir}/slapd.pid
argsfile {dir}/slapd.args
database mdb
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {dir}/data
maxsize 10485760
TLSCACertificateFile {dir}/ca.pem
TLSCertificateFile {cert}
TLSCertificateKeyFile {key}
# Whoever binds reads the directory; a person's password is compared, never read.
access to attrs=userPassword by anonymous auth by * none
access to * by users read by * none
"""

BASE_LDIF = f"""\
dn: {SUFFIX}
objectClass: dcObject
objectClass: organization
o: Example
dc: example

dn: {PEOPLE}
objectClass: organizationalUnit
ou: people

dn: {GROUPS}
objectClass: organizationalUnit
ou: groups

dn: {ADMINS_GROUP}
objectClass: groupOfNames
cn: helpdesk-admins
member: {ROOT_DN}
"""


@dataclass(frozen=True)
class Person:
    uid: str
    password: str
    mail: str

    @property
    def dn(self) -> str:
        return f"uid={self.uid},{PEOPLE}"


def slapd_binary() -> str:
    found = shutil.which("slapd") or shutil.which("slapd", path="/usr/sbin:/sbin")
    if found is None:
        raise RuntimeError("slapd not found (apt-get install slapd)")
    return found


class TempSlapd:
    """``with TempSlapd() as server:`` gives ``server.uri`` (StartTLS offered, with a certificate signed by
    ``server.ca_file``), ``server.root_password`` and ``add_person()``."""

    def __init__(self) -> None:
        self.dir: Path | None = None
        self.port = 0
        self.root_password = secrets.token_urlsafe(12)
        self._process: subprocess.Popen | None = None
        self._people = itertools.count(1)

    @property
    def uri(self) -> str:
        return f"ldap://{HOST}:{self.port}"

    def start(self) -> "TempSlapd":
        self.dir = Path(tempfile.mkdtemp(prefix="helpline-slapd-"))
        (self.dir / "data").mkdir()
        authority = make_authority("Helpline test CA")
        self.ca_file = authority.write(self.dir / "ca.pem")
        cert, key = write_server_certificate(authority, self.dir, ip=HOST)
        # A second authority that signed nothing here: trusting it instead must fail verification.
        self.other_ca_file = make_authority("Some other CA").write(self.dir / "other-ca.pem")
        config = CONFIG.format(
            dir=self.dir, suffix=SUFFIX, root_dn=ROOT_DN, root_password=self.root_password, cert=cert, key=key
        )
        (self.dir / "slapd.conf").write_text(config)
        (self.dir / "base.ldif").write_text(BASE_LDIF)
        # Loaded offline, before the server starts: the directory is there from the first connection.
        subprocess.run(
            [shutil.which("slapadd", path="/usr/sbin:/sbin") or "slapadd", "-f", str(self.dir / "slapd.conf")]
            + ["-l", str(self.dir / "base.ldif")],
            check=True,
            capture_output=True,
        )
        for _attempt in range(3):  # a port taken between choosing and binding it: choose again
            self.port = free_port()
            with (self.dir / "stderr.log").open("ab") as stderr:
                # -d 0: stay in the foreground (a child of this process), logging nothing.
                self._process = subprocess.Popen(
                    [slapd_binary(), "-d", "0", "-h", self.uri + "/", "-f", str(self.dir / "slapd.conf")],
                    stdout=subprocess.DEVNULL,
                    stderr=stderr,
                    preexec_fn=_die_with_parent,
                )
            if self._wait_until_ready():
                return self
        told = (self.dir / "stderr.log").read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"slapd did not start:\n{told}")

    def _wait_until_ready(self) -> bool:
        assert self._process is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            with contextlib.suppress(OSError), socket.create_connection((HOST, self.port), timeout=2):
                return True
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

    def __enter__(self) -> "TempSlapd":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def connection(self):
        import ldap

        connection = ldap.initialize(self.uri)
        connection.simple_bind_s(ROOT_DN, self.root_password)
        return connection

    def add_person(self, mail: str, *, uid: str = "", groups: tuple[str, ...] = ()) -> Person:
        """A new person with a password of their own, in ``groups`` (DNs) too."""
        import ldap
        import ldap.modlist

        person = Person(uid or f"person{next(self._people)}", secrets.token_urlsafe(12), mail)
        attributes = {
            "objectClass": [b"inetOrgPerson"],
            "uid": [person.uid.encode()],
            "cn": [b"Directory Name"],
            "sn": [b"Name"],
            "givenName": [b"Directory"],
            "mail": [mail.encode()],
            "userPassword": [person.password.encode()],
        }
        connection = self.connection()
        try:
            connection.add_s(person.dn, ldap.modlist.addModlist(attributes))
            for group in groups:
                connection.modify_s(group, [(ldap.MOD_ADD, "member", [person.dn.encode()])])
        finally:
            connection.unbind_s()
        return person


@pytest.fixture(scope="session")
def slapd() -> Iterator[TempSlapd]:
    with TempSlapd() as server:
        yield server
