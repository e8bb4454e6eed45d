"""Login accounts."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..auth import hashing
from ..clock import now_utc
from ..extensions import db
from ..vocab import ROLES
from .user_role import UserRole


class User(UserMixin, db.Model):
    __tablename__ = "user"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    name: Mapped[str] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    #: the user may switch reminder e-mails off (in-app notifications stay)
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    #: a mobile number for SMS reminders (短信提醒), and whether the user wants them
    mobile: Mapped[str | None] = mapped_column(String(20))
    sms_enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    #: for clerks: the body whose submissions they handle; None means both
    body: Mapped[str | None] = mapped_column(String(8))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    #: part of the id kept in the session cookie: +1 ends every session of the user (logout, new password,
    #: account disabled, roles changed), so an old or copied cookie no longer logs in
    session_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: set when an admin gave the password: the user chooses their own at the next login
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    #: the TOTP key (base32) once the user enrolled an authenticator app; None = not enrolled
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: the last 30-second step a code was accepted for: a code is good once
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    department = relationship("Department")
    role_rows = relationship("UserRole", cascade="all, delete-orphan", lazy="selectin")
    # loaded with the user: every permission check asks for both
    member = relationship("Member", back_populates="user", uselist=False, lazy="joined")
    password_history = relationship("PasswordHistory", cascade="all, delete-orphan",
                                    order_by="PasswordHistory.id.desc()")

    @property
    def roles(self) -> set[str]:
        return {r.role for r in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles):
        wanted = set(roles)
        self.role_rows = [r for r in self.role_rows if r.role in wanted] + [
            UserRole(role=r) for r in sorted(wanted - self.roles)
        ]

    @property
    def role_labels(self):
        return [ROLES[r] for r in sorted(self.roles, key=list(ROLES).index)]

    def set_password(self, password: str):
        self.password_hash = hashing.hash_password(password)

    def check_password(self, password: str) -> bool:
        return hashing.verify(self.password_hash, password)

    @property
    def is_active(self):
        return self.active

    def get_id(self) -> str:
        """What Flask-Login keeps in the session: the id and the session version (see load_user)."""
        return f"{self.id}:{self.session_version}"

    def end_sessions(self):
        self.session_version = (self.session_version or 1) + 1

    def __str__(self):
        return self.name
