"""Writing the audit log: entries gathered during a request are written after it, in a transaction of
their own (a refused or rolled-back action is audited too), each chained to the one before by SHA-256."""
import hashlib
import json
import logging

from flask import g, has_request_context, request
from flask_login import current_user
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from ..clock import now_utc
from ..extensions import db
from ..models import AuditEntry, AuditHead

GENESIS = "0" * 64
log = logging.getLogger(__name__)


def digest(prev_hash: str, entry: dict) -> str:
    fields = [prev_hash, entry["id"], entry["at"].isoformat(timespec="microseconds"), entry["user_id"],
              entry["username"], entry["ip"], entry["action"], entry["object"], entry["result"], entry["detail"]]
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, separators=(",", ":")).encode()).hexdigest()


def object_key(obj) -> str | None:
    if obj is None:
        return None
    if isinstance(obj, str):
        return obj[:60]
    return f"{obj.__tablename__}:{obj.id}"


def record(action: str, obj=None, result: str = "ok", detail: str | None = None, user=None,
           username: str | None = None):
    """Audit one thing. In a request it is written once the request is over (and stands for the request:
    no generic entry is added); outside one (a flask command) at once."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user._get_current_object()
    entry = {"user_id": user.id if user else None, "username": (username or (user.username if user else None)),
             "ip": request.remote_addr if has_request_context() else "命令行", "action": action[:60],
             "object": object_key(obj), "result": result, "detail": (detail or None) and detail[:2000]}
    if has_request_context():
        g.setdefault("audit_entries", []).append(entry)
    else:
        write([entry])


def write(entries: list[dict]):
    """Append `entries` in one transaction: taking the head row serialises writers across workers."""
    if not entries:
        return
    with db.engine.begin() as connection:
        for entry in entries:
            head = connection.execute(update(AuditHead).where(AuditHead.id == 1).values(
                last_id=AuditHead.last_id + 1).returning(AuditHead.last_id, AuditHead.last_hash)).first()
            if head is None:
                _create_head(connection)
                head = connection.execute(update(AuditHead).where(AuditHead.id == 1).values(
                    last_id=AuditHead.last_id + 1).returning(AuditHead.last_id, AuditHead.last_hash)).first()
            row = {**entry, "id": head.last_id, "at": now_utc(), "prev_hash": head.last_hash}
            row["hash"] = digest(head.last_hash, row)
            connection.execute(insert(AuditEntry).values(**row))
            connection.execute(update(AuditHead).where(AuditHead.id == 1).values(last_hash=row["hash"]))


def _create_head(connection):
    try:
        with connection.begin_nested():
            connection.execute(insert(AuditHead).values(id=1, last_id=0, last_hash=GENESIS))
    except IntegrityError:   # another worker made it a moment ago
        pass


def view_object():
    args = request.view_args or {}
    for name, value in args.items():
        if name.endswith("_id"):
            kind = name[:-3] if name != "obj_id" else request.path.strip("/").split("/")[0].rstrip("s")
            return f"{kind}:{value}"
    return None


def after_request(response):
    """What every request leaves in the log: its explicit entries, or for a change (POST), a denial (403) or a
    download one generic entry. Plain page views are not logged (the access log has them)."""
    entries = g.pop("audit_entries", [])
    endpoint = request.endpoint or ""
    if not entries and endpoint not in ("static", "health.healthz") and endpoint:
        status = response.status_code
        download = response.headers.get("Content-Disposition", "").startswith("attachment")
        if status == 403:
            record("denied", view_object(), "denied", f"{request.method} {request.path}")
        elif status == 429:
            record("rate_limited", None, "denied", f"{request.method} {request.path}")
        elif request.method == "POST":
            result = "ok" if 300 <= status < 400 else "refused" if status == 200 else "failed"
            record(endpoint, view_object(), result, f"POST {request.path}")
        elif download and status == 200:
            record("download", view_object(), "ok", f"{endpoint} {response.headers['Content-Disposition'][:200]}")
        entries = g.pop("audit_entries", [])
    try:
        write(entries)
    except Exception:   # the answer stands; the failure is in the server log for the administrator
        log.exception("audit entries could not be written: %s", entries)
    return response


def verify(batch: int = 5000) -> tuple[int, list[str]]:
    """(entries checked, problems): a changed entry, a missing one, an entry added out of the chain, or the
    newest entries removed (the head remembers the last)."""
    problems, prev, expected_id, checked = [], GENESIS, 1, 0
    last_seen = 0
    while True:
        table = AuditEntry.__table__   # plain rows: nothing piles up in the session over 10 years of log
        rows = db.session.execute(select(table).where(table.c.id > last_seen).order_by(table.c.id)
                                  .limit(batch)).all()
        if not rows:
            break
        for e in rows:
            checked += 1
            if e.id != expected_id:
                problems.append(f"缺少第 {expected_id}–{e.id - 1} 条（已被删除）")
            if e.prev_hash != prev:
                problems.append(f"第 {e.id} 条与前一条接不上（前一条被改动或删除）")
            entry = {c: getattr(e, c) for c in ("id", "at", "user_id", "username", "ip", "action", "object",
                                                 "result", "detail")}
            if digest(e.prev_hash, entry) != e.hash:
                problems.append(f"第 {e.id} 条内容被改动（{e.at:%Y-%m-%d %H:%M} UTC，{e.action}）")
            prev, expected_id, last_seen = e.hash, e.id + 1, e.id
    head = db.session.get(AuditHead, 1)
    if head is not None and (head.last_id != last_seen or head.last_hash != prev):
        problems.append(f"最新的第 {last_seen + 1}–{head.last_id} 条已被删除" if head.last_id > last_seen
                        else "链尾记录与日志不符")
    return checked, problems
