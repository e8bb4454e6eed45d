"""The second factor: a 6-digit code from an authenticator app (TOTP, RFC 6238, pyotp) for the roles
TOTP_ROLES names. The clock is the app's (clock.now_utc), so tests can move it."""
import pyotp
from flask import current_app

from ..clock import now_timestamp

ISSUER = "提案建议办理系统"
STEP = 30


def required(user) -> bool:
    return bool(user.roles & set(current_app.config.get("TOTP_ROLES") or ()))


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an inline SVG QR code (segno) for the authenticator app to scan."""
    import segno

    return segno.make(uri, error="m").svg_inline(omitsize=True, dark="#000", light="#fff", title="扫码添加账号")


def accept(user, secret: str, code: str) -> bool:
    """Whether `code` is right for `secret` now (one step either side), and not a step used before."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return False
    now = now_timestamp()
    for offset in (0, -1, 1):
        step = int(now // STEP) + offset
        if pyotp.TOTP(secret).verify(code, for_time=step * STEP) and step != user.totp_last_step:
            if user.totp_last_step is not None and step < user.totp_last_step:
                return False
            user.totp_last_step = step
            return True
    return False


def code_for(secret: str, at: float | None = None) -> str:
    """The current code (for tests and the shell)."""
    return pyotp.TOTP(secret).at(at if at is not None else now_timestamp())
