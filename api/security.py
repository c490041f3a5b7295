"""Password hashing (standard library scrypt), manager accounts and opaque session tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from pathlib import Path

from api.config import Settings, StartupError

_N, _R, _P = 2**14, 8, 1


def hash_password(password: str) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64); scrypt parameters as recommended for interactive logins."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def token_digest(token: str) -> str:
    """Sessions are stored by digest, so a leaked database does not hand out logins."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def read_managers_file(path: Path) -> dict[str, str]:
    """The file's accounts, each with a usable hash (``_checked``)."""
    return {name: _checked(name, hashed, str(path)) for name, hashed in _file_accounts(path).items()}


def _file_accounts(path: Path) -> dict[str, str]:
    """StartupError naming the file when it cannot be read: a hand edit that lost a brace stopped
    the start, and ``roster add-manager`` itself, with a JSON traceback."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StartupError(f"lederfilen {path} kan ikke leses ({exc}); rett den, eller slett den og legg "
                           "lederne inn på nytt med «roster add-manager»") from None
    if not isinstance(data, dict):
        raise StartupError(f"lederfilen {path} skal være et JSON-objekt med navn og hash")
    return {str(name): str(hashed) for name, hashed in data.items()}


def _checked(name: str, hashed: str, where: str) -> str:
    """A hash ``verify_password`` can use: anything else made every login of that account fail
    without a word, a password written in its place included (so the value is never shown)."""
    parts = hashed.split("$")
    if len(parts) != 6 or parts[0] != "scrypt" or not all(part.isdigit() for part in parts[1:4]):
        raise StartupError(f"{where}: lederen «{name}» har ikke en scrypt-hash (scrypt$…); lag kontoen med "
                           "«roster add-manager», som skriver lederfilen")
    return hashed


def write_manager(path: Path, name: str, password: str) -> None:
    """Add or replace one account in the managers file (used by ``roster add-manager``, also to
    replace an account whose hash is unusable)."""
    accounts = _file_accounts(path)
    accounts[name] = hash_password(password)
    if not path.parent.exists():  # the data folder, made here before the service first starts
        path.parent.mkdir(parents=True)
        path.parent.chmod(0o700)
    path.write_text(json.dumps(accounts, indent=1), encoding="utf-8")
    path.chmod(0o600)


def load_managers(settings: Settings) -> dict[str, str]:
    """Accounts from ``ROSTER_MANAGERS`` and the managers file (the env wins on a clash)."""
    accounts = read_managers_file(settings.managers_path())
    for item in filter(None, (x.strip() for x in settings.managers.split(","))):
        name, _, hashed = item.partition(":")
        accounts[name] = _checked(name, hashed, "ROSTER_MANAGERS")
    return accounts


def bootstrap_managers(settings: Settings) -> dict[str, str]:
    """The configured accounts; with none and bootstrapping on, create ``leder`` and print its password
    once (a development convenience documented in docs/web.md)."""
    accounts = load_managers(settings)
    if accounts or not settings.bootstrap_manager:
        return accounts
    password = secrets.token_urlsafe(12)
    write_manager(settings.managers_path(), "leder", password)
    print(f"Ingen ledere var satt opp. Opprettet brukeren «leder» med passord: {password}\n"
          f"(lagret som hash i {settings.managers_path()}; bytt med «roster add-manager leder»)", flush=True)
    return load_managers(settings)
