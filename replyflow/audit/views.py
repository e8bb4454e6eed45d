"""安全审计: the audit administrator searches the log, exports what was found, and checks the chain."""
import csv
import io
from datetime import date, datetime, time, timedelta

from flask import Blueprint, Response, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import permissions as perm
from ..clock import local_to_utc, to_local, today
from ..extensions import db
from ..inputs import bounded_int
from ..models import AuditEntry
from ..workflow.states import TRANSITIONS
from . import log as audit

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE = 50
RESULTS = {"ok": "成功", "refused": "未通过校验", "denied": "拒绝", "failed": "失败"}
#: what the audit administrator reads for each recorded action; a POST with no entry of its own is recorded
#: under its endpoint, and a workflow action under its transition's name
ACTION_LABELS = {
    "login": "登录", "login_failed": "登录失败", "login_locked": "锁定中登录", "logout": "退出",
    "password_changed": "修改密码", "password_reset": "重置密码（命令行）", "account_created": "新建账号",
    "account_changed": "修改账号", "roles_changed": "授权变更", "member_saved": "保存委员/代表",
    "download": "下载", "denied": "拒绝访问",
    "rate_limited": "请求过频", "backup": "备份", "restore": "恢复", "audit_search": "查询审计日志",
    "audit_export": "导出审计日志", "audit_verify": "核对完整性",
}


def action_label(code: str) -> str:
    if code.startswith("actions.") and code[8:] in TRANSITIONS:
        return TRANSITIONS[code[8:]].label
    return ACTION_LABELS.get(code, "")


COLUMNS = ["序号", "时间（北京时间 +08:00）", "用户", "IP", "操作", "对象", "结果", "说明"]


@bp.before_request
@login_required
def only_auditors():
    perm.require(perm.is_auditor(current_user))


def _day(value):
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _query(args):
    query = select(AuditEntry)
    if user := (args.get("user") or "").strip():
        query = query.where(AuditEntry.username == user[:40])
    if action := (args.get("action") or "").strip():
        query = query.where(AuditEntry.action.startswith(action[:60]))
    if args.get("result") in RESULTS:
        query = query.where(AuditEntry.result == args["result"])
    if ip := (args.get("ip") or "").strip():
        query = query.where(AuditEntry.ip == ip[:45])
    if obj := (args.get("object") or "").strip():
        query = query.where(AuditEntry.object == obj[:60])
    if start := _day(args.get("from")):
        query = query.where(AuditEntry.at >= local_to_utc(datetime.combine(start, time())))
    if end := _day(args.get("to")):
        query = query.where(AuditEntry.at < local_to_utc(datetime.combine(end + timedelta(days=1), time())))
    return query


@bp.get("")
def index():
    """Newest first, paged by id (keyset), so page 1 and page 1,000 cost the same."""
    before = bounded_int(request.args.get("before"))
    query = _query(request.args)
    if before:
        query = query.where(AuditEntry.id < before)
    rows = db.session.scalars(query.order_by(AuditEntry.id.desc()).limit(PAGE + 1)).all()
    more = len(rows) > PAGE
    keep = {k: v for k, v in request.args.items() if k != "before" and v}
    audit.record("audit_search", None, detail="；".join(f"{k}={v}" for k, v in keep.items()) or "全部")
    return render_template("audit/index.html", rows=rows[:PAGE], more=more, keep=keep, results=RESULTS,
                           action_label=action_label, to_local=to_local, args=request.args)


@bp.get("/export.csv")
def export():
    """The entries found, as CSV for Excel (UTF-8 with BOM), streamed in batches."""
    query = _query(request.args).order_by(AuditEntry.id)
    engine = db.engine

    def rows():
        # a connection of its own, no Flask context: the body is read after the request has ended
        out = io.StringIO()
        writer = csv.writer(out)
        out.write("\ufeff")
        writer.writerow(COLUMNS)
        last = 0
        with engine.connect() as connection:
            while True:
                batch = connection.execute(query.where(AuditEntry.id > last).limit(2000)).all()
                if not batch:
                    break
                for e in batch:
                    writer.writerow([e.id, to_local(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.username or "",
                                     e.ip or "", e.action, e.object or "", RESULTS.get(e.result, e.result),
                                     e.detail or ""])
                last = batch[-1].id
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        yield out.getvalue()

    audit.record("audit_export", None, detail="；".join(f"{k}={v}" for k, v in request.args.items() if v) or "全部")
    name = f"审计日志_{today():%Y%m%d}.csv"   # the office's day (Asia/Shanghai), not the server's
    from urllib.parse import quote

    return Response(rows(), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=audit.csv; filename*=UTF-8''{quote(name)}"})


@bp.post("/verify")
def verify():
    checked, problems = audit.verify()
    audit.record("audit_verify", None, "ok" if not problems else "failed",
                 f"核对 {checked} 条" + ("；" + "；".join(problems[:5]) if problems else "，完整"))
    return render_template("audit/verify.html", checked=checked, problems=problems)
