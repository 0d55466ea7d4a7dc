"""A small OpenID Connect provider on a free loopback port, for the single sign-on tests: a discovery
document, an authorization endpoint that signs in whoever the test chose and redirects back with a code, a
token endpoint that checks the client, the code, the redirect address and the PKCE verifier and issues an
RS256-signed ID token, the JWKS and a userinfo endpoint.

One per test (``oidc_provider`` fixture): its key, its users and its tricks (``tamper``) are the test's own.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "helpline-test"
CLIENT_SECRET = "client-secret-of-the-test"  # noqa: S105
KEY_ID = "test-key-1"


@dataclass
class Grant:
    """What an authorization code stands for until the token endpoint redeems it (once)."""

    claims: dict
    redirect_uri: str
    nonce: str
    code_challenge: str


@dataclass
class Provider:
    url: str = ""
    key: rsa.RSAPrivateKey = field(default_factory=lambda: rsa.generate_private_key(65537, 2048))
    # Who the authorization endpoint signs in: the userinfo claims (``sub``, ``email``, ``email_verified``).
    claims: dict = field(default_factory=dict)
    # "signature": sign with another key under the same key id; "audience": issue the token to another client;
    # "subject": answer userinfo with the details of someone else than the token's subject.
    tamper: str = ""
    grants: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, dict] = field(default_factory=dict)

    def sign_in_as(self, email: str, *, verified: bool = True, sub: str = "") -> None:
        self.claims = {"sub": sub or secrets.token_hex(8), "email": email, "email_verified": verified}

    def discovery(self) -> dict:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        public = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [public | {"kid": KEY_ID, "alg": "RS256", "use": "sig"}]}

    def authorize(self, url: str) -> str:
        """Visit the authorization URL as the browser would; the address the provider sends it back to."""
        response = requests.get(url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, response.text
        return response.headers["Location"]

    # --- the endpoints --------------------------------------------------------------------------------

    def grant_code(self, query: dict[str, str]) -> tuple[int, str]:
        if query.get("client_id") != CLIENT_ID or query.get("response_type") != "code":
            return 400, ""
        if query.get("code_challenge_method") != "S256":
            return 400, ""
        code = secrets.token_urlsafe(16)
        self.grants[code] = Grant(
            dict(self.claims), query["redirect_uri"], query.get("nonce", ""), query["code_challenge"]
        )
        return 302, f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"

    def redeem(self, form: dict[str, str]) -> tuple[int, dict]:
        grant = self.grants.pop(form.get("code", ""), None)
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        if grant is None or form.get("redirect_uri") != grant.redirect_uri:
            return 400, {"error": "invalid_grant"}
        digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.code_challenge:
            return 400, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(16)
        self.access_tokens[access_token] = grant.claims
        return 200, {"access_token": access_token, "token_type": "Bearer", "id_token": self.id_token(grant)}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": grant.claims["sub"],
            "aud": "some-other-client" if self.tamper == "audience" else CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant.nonce,
        }
        key = rsa.generate_private_key(65537, 2048) if self.tamper == "signature" else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KEY_ID})


class Handler(BaseHTTPRequestHandler):
    server: "ProviderServer"

    def do_GET(self) -> None:
        provider = self.server.provider
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        if parts.path == "/.well-known/openid-configuration":
            self.answer(200, provider.discovery())
        elif parts.path == "/jwks":
            self.answer(200, provider.jwks())
        elif parts.path == "/authorize":
            status, location = provider.grant_code(query)
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts.path == "/userinfo":
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            claims = provider.access_tokens.get(token)
            if claims and provider.tamper == "subject":
                claims = claims | {"sub": "someone-else"}
            self.answer(200, claims) if claims else self.answer(401, {"error": "invalid_token"})
        else:
            self.answer(404, {"error": "not_found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        form = {name: values[0] for name, values in parse_qs(self.rfile.read(length).decode()).items()}
        if urlsplit(self.path).path == "/token":
            self.answer(*self.server.provider.redeem(form))
        else:
            self.answer(404, {"error": "not_found"})

    def answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args) -> None:  # noqa: A002  (quiet: the tests read the answers)
        pass


class ProviderServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, provider: Provider) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.provider = provider


@pytest.fixture
def oidc_provider() -> Iterator[Provider]:
    provider = Provider()
    server = ProviderServer(provider)
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def oidc_on(settings, oidc_provider: Provider) -> Provider:
    """Helpline configured for the provider as an administrator would (README): from its discovery
    document, with the content security policy letting the sign-in form go to it."""
    from helpline.config.sso import OIDC_BACKEND, origin

    found = requests.get(f"{oidc_provider.url}/.well-known/openid-configuration", timeout=10).json()
    settings.HELPLINE_OIDC_ENABLED = True
    settings.HELPLINE_OIDC_ISSUER = found["issuer"]
    settings.HELPLINE_OIDC_PROVIDER_NAME = "Example ID"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = found["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = found["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = found["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = found["jwks_uri"]
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND]
    form_action = [*settings.SECURE_CSP["form-action"], origin(found["authorization_endpoint"])]
    settings.SECURE_CSP = settings.SECURE_CSP | {"form-action": form_action}
    return oidc_provider
