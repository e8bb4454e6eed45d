"""The password rules (等保 三级): length, three kinds of character, not a common password, not a recent one."""
import gzip
import re
from functools import lru_cache
from pathlib import Path

from ..clock import now_utc
from ..extensions import db
from ..services import ServiceError
from . import hashing

MIN_LENGTH = 8
#: a new password may not be any of the user's last five
HISTORY = 5
_HERE = Path(__file__).parent
KINDS = (("小写字母", re.compile(r"[a-z]")), ("大写字母", re.compile(r"[A-Z]")), ("数字", re.compile(r"\d")),
         ("符号", re.compile(r"[^A-Za-z0-9]")))
RULES = f"至少 {MIN_LENGTH} 位，含大写字母、小写字母、数字、符号中的至少三类，不能是常见密码或最近用过的 {HISTORY} 个密码"


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(_HERE / "common-passwords.txt.gz", "rt", encoding="utf-8") as f:
        words = {line.strip().lower() for line in f if line.strip()}
    for line in (_HERE / "common-passwords-cn.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(line.strip().lower())
    return frozenset(words)


def problem(password: str, user=None) -> str | None:
    """Why `password` may not be used, or None."""
    if len(password) < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位。"
    if len(password) > 128:
        return "密码最多 128 位。"
    kinds = [name for name, pattern in KINDS if pattern.search(password)]
    if len(kinds) < 3:
        return "密码须含大写字母、小写字母、数字、符号中的至少三类。"
    lowered = password.lower()
    if lowered in common_passwords():
        return "这是常见密码，容易被猜中，请换一个。"
    if user is not None and user.username and len(user.username) >= 3 and user.username.lower() in lowered:
        return "密码不能包含用户名。"
    if user is not None and any(hashing.verify(old, password) for old in recent_hashes(user)):
        return f"不能使用最近用过的 {HISTORY} 个密码。"
    return None


def recent_hashes(user) -> list[str]:
    hashes = [user.password_hash] if user.password_hash else []
    return hashes + [h.password_hash for h in user.password_history[: HISTORY - 1]]


def change(user, new_password: str, *, must_change: bool = False):
    """Set `user`'s password under the rules; their other sessions end. `must_change`: an admin set it,
    so the user chooses their own at the next login."""
    why = problem(new_password, user)
    if why:
        raise ServiceError(why)
    from ..models import PasswordHistory

    if user.password_hash:
        user.password_history.insert(0, PasswordHistory(password_hash=user.password_hash))
        del user.password_history[HISTORY - 1:]   # with the current one, the last five
    user.set_password(new_password)
    user.password_changed_at = now_utc()
    user.must_change_password = must_change
    user.end_sessions()
    db.session.flush()
