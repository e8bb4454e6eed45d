"""Password hashes: Argon2id (argon2-cffi) for every new one. Werkzeug's scrypt and pbkdf2 hashes, written
by earlier versions, still verify and are replaced by Argon2id at the user's next login."""
import threading
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from werkzeug.security import check_password_hash

#: OWASP's floor for Argon2id: 19 MiB and two passes; production refuses less (safety.py)
MIN_MEMORY_KIB, MIN_TIME_COST = 19456, 2
DEFAULTS = {"ARGON2_TIME_COST": 2, "ARGON2_MEMORY_KIB": 19456, "ARGON2_PARALLELISM": 1}   # config.py says why


class _Hasher:
    """Argon2id with a bound on the hashes one process computes at once: each holds its memory cost."""

    def __init__(self, time_cost: int, memory_kib: int, parallelism: int, concurrent: int):
        self.argon2 = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)
        self.turns = threading.BoundedSemaphore(max(1, concurrent))

    def hash(self, password: str) -> str:
        with self.turns:
            return self.argon2.hash(password)

    def verify(self, stored: str, password: str) -> bool:
        with self.turns:
            return self.argon2.verify(stored, password)

    def check_needs_rehash(self, stored: str) -> bool:
        return self.argon2.check_needs_rehash(stored)


_building = threading.Lock()


@lru_cache(maxsize=4)
def _cached_hasher(time_cost: int, memory_kib: int, parallelism: int, concurrent: int) -> _Hasher:
    return _Hasher(time_cost, memory_kib, parallelism, concurrent)


def _hasher(*settings) -> _Hasher:
    # under a lock: lru_cache alone lets threads that miss at once build one each, each with its own turns
    with _building:
        return _cached_hasher(*settings)


def hasher() -> _Hasher:
    config = current_app.config if has_app_context() else {}
    return _hasher(*(int(config.get(key, default)) for key, default in DEFAULTS.items()),
                   int(config.get("ARGON2_CONCURRENT", 1)))


def hash_password(password: str) -> str:
    return hasher().hash(password)


def verify(stored: str | None, password: str) -> bool:
    if not stored:
        return False
    if not stored.startswith("$argon2"):
        with hasher().turns:   # an older scrypt hash holds its memory too
            return check_password_hash(stored, password)
    try:
        return hasher().verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """An older kind of hash, or Argon2 with other settings than today's."""
    return not stored.startswith("$argon2") or hasher().check_needs_rehash(stored)


def dummy_hash() -> str:
    """A hash of today's settings, checked when the user name is unknown: both answers take as long."""
    cached = current_app.extensions.get("replyflow_dummy_hash")
    if cached is None or needs_rehash(cached):
        cached = current_app.extensions["replyflow_dummy_hash"] = hash_password("no such account")
    return cached
