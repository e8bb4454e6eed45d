"""重点提案 / 重点建议 and their 督办: the leader and office who supervise, and the record of what they did."""
from datetime import date

from ..clock import cn_date, today
from ..extensions import db
from ..models import SupervisionRecord
from ..vocab import SUPERVISION_KINDS
from ..workflow import engine
from . import ServiceError


def set_supervision(user, submission, is_key: bool, supervisor: str | None, office: str | None):
    """Mark (or unmark) the case 重点 and name who supervises it."""
    engine.check(user, submission, "set_supervision")
    supervisor, office = (supervisor or "").strip() or None, (office or "").strip() or None
    if not is_key and (supervisor or office):
        raise ServiceError("督办领导和牵头督办单位只用于重点提案/建议：请同时设为重点，或清空这两项。")
    if not is_key and submission.supervision_records:
        raise ServiceError("本件已有督办记录，不能取消重点。")
    submission.is_key, submission.supervisor, submission.supervising_office = is_key, supervisor, office
    summary = "设为重点" if is_key else "取消重点"
    details = "；".join(p for p in (f"督办领导：{supervisor}" if supervisor else "",
                                    f"牵头督办单位：{office}" if office else "") if p)
    engine.fire(user, submission, "set_supervision", summary + (f"（{details}）" if details else ""))
    db.session.flush()


def record_supervision(user, submission, kind: str, held_on: date | None, summary: str) -> SupervisionRecord:
    engine.check(user, submission, "record_supervision")
    if kind not in SUPERVISION_KINDS:
        raise ServiceError("请选择督办方式。")
    held_on = held_on or today()
    if held_on > today():
        raise ServiceError("督办日期不能晚于今天。")
    if not (summary or "").strip():
        raise ServiceError("请填写督办情况。")
    record = SupervisionRecord(kind=kind, held_on=held_on, summary=summary.strip(), recorded_by_id=user.id)
    submission.supervision_records.append(record)
    engine.fire(user, submission, "record_supervision",
                f"{SUPERVISION_KINDS[kind]}（{cn_date(held_on)}）：{record.summary}")
    db.session.flush()
    return record
