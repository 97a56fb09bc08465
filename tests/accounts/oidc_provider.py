"""A tiny OpenID Connect provider on 127.0.0.1, for the single sign-on tests: a stand-in for
Google and Microsoft Entra, which a test cannot reach.

It serves discovery, an authorize endpoint that signs in whoever the test says (``claims``)
and sends the browser back with a code, a token endpoint that checks the client, the redirect
URI and PKCE and returns an ID token signed with a test RSA key, the JWKS and userinfo.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "coaching-test-client"
CLIENT_SECRET = "coaching-test-secret"
KID = "test-key-1"


@dataclass
class Grant:
    claims: dict
    client_id: str
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None


@dataclass
class LocalProvider:
    url: str = ""
    # The issuer the ID tokens name; None: the provider's own (as discovery says).
    token_issuer: str | None = None
    # What the next person to reach /authorize signs in as (set by the test).
    claims: dict = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)
    token_requests: list[dict] = field(default_factory=list)
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )

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
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def id_token(self, grant: Grant) -> str:
        now = int(time.time())
        payload = {
            "iss": self.token_issuer or self.url,
            "aud": grant.client_id,
            "iat": now,
            "exp": now + 300,
            "jti": secrets.token_hex(8),
            **({"nonce": grant.nonce} if grant.nonce else {}),
            **grant.claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": KID})


def _handler(provider: LocalProvider):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet test output
            pass

        def _json(self, data: dict, status: int = 200) -> None:
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._json(provider.discovery())
            elif url.path == "/jwks":
                self._json(provider.jwks())
            elif url.path == "/userinfo":
                self._json(provider.claims)
            elif url.path == "/authorize":
                code = secrets.token_urlsafe(16)
                provider.grants[code] = Grant(
                    dict(provider.claims),
                    query.get("client_id", ""),
                    query.get("redirect_uri", ""),
                    query.get("nonce"),
                    query.get("code_challenge"),
                )
                back = {"code": code, "state": query.get("state", "")}
                self.send_response(302)
                self.send_header("Location", f"{query['redirect_uri']}?{urlencode(back)}")
                self.end_headers()
            else:
                self._json({"error": "not_found"}, 404)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            provider.token_requests.append(form)
            if urlsplit(self.path).path != "/token":
                return self._json({"error": "not_found"}, 404)
            grant = provider.grants.pop(form.get("code", ""), None)
            if (
                grant is None
                or form.get("client_id") != CLIENT_ID
                or form.get("client_secret") != CLIENT_SECRET
                or form.get("redirect_uri") != grant.redirect_uri
            ):
                return self._json({"error": "invalid_grant"}, 400)
            if grant.code_challenge:
                verifier = form.get("code_verifier", "").encode()
                digest = hashlib.sha256(verifier).digest()
                if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant.code_challenge:
                    return self._json({"error": "invalid_grant", "why": "pkce"}, 400)
            self._json(
                {
                    "access_token": secrets.token_urlsafe(16),
                    "token_type": "Bearer",
                    "expires_in": 3600,
                    "id_token": provider.id_token(grant),
                }
            )

    return Handler


def serve() -> tuple[LocalProvider, ThreadingHTTPServer]:
    """Start a provider on a free port in a daemon thread; ``server.shutdown()`` stops it."""
    provider = LocalProvider()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(provider))
    provider.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return provider, server
