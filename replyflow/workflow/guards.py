"""Guards: conditions a transition needs besides state and actor.

Each takes (user, obj, ctx) and returns None when satisfied, else a Chinese message.
"""
from ..clock import cn_date
from .deadlines import adjustment_last_day

#: what a reply needs before it may go to the signer, with the labels the form uses
REQUIRED_REPLY_FIELDS = {
    "answer_class": "答复类别",
    "disclosure": "公开属性",
    "title": "标题",
    "salutation": "称谓",
    "body": "正文",
    "signer_name": "签发人",
    "handler_name": "经办人",
    "phone": "联系电话",
    "issuing_organ": "发文机关",
}


def reply_complete(user, assignment, ctx):
    reply = assignment.current_reply
    if reply is None:
        return "尚未起草答复件，不能送签。"
    missing = [label for field, label in REQUIRED_REPLY_FIELDS.items()
               if not (getattr(reply, field) or "").strip()]
    if missing:
        return "答复件缺少：" + "、".join(missing) + "，不能送签。"
    earlier = [r for r in assignment.replies if r.round < reply.round]
    if earlier and _wording(earlier[-1]) == _wording(reply):
        return "答复件与上一轮相同，请按退回或重新办理的意见修改后再送签。"
    return None


def _wording(reply) -> dict:
    """What a new round must change: everything but the number and the date."""
    return {k: v for k, v in reply.snapshot().items() if k not in ("doc_number", "issue_date")}


def opinions_in(user, assignment, ctx):
    """The 主办 sends for sign-off once every 会办 department has given its opinion or been excused."""
    if assignment.role != "lead":
        return None
    missing = [co.department.name for co in assignment.submission.active_assignments
               if co.role == "co" and co.state not in ("opinion_submitted", "closed")]
    if missing:
        return ("尚未收到会办意见：" + "、".join(missing) + "。须等会办单位提交意见，"
                f"或经{assignment.submission.sitting.office}同意免交后，才能送签。")
    return None


def all_of(*checks):
    """A guard passing when every one of `checks` does; the first message otherwise."""
    def guard(user, obj, ctx):
        return next((m for m in (check(user, obj, ctx) for check in checks) if m), None)
    guard.__name__ = "_and_".join(c.__name__ for c in checks)
    return guard


def review_required(user, assignment, ctx):
    if not assignment.submission.sitting.review_replies:
        return "本次会议的答复件不需审核。"
    return None


def reviewed_if_required(user, assignment, ctx):
    if assignment.state == "signed" and assignment.submission.sitting.review_replies:
        return "答复件须经答复审核通过后才能答复。"
    return None


def not_own_draft(user, assignment, ctx):
    reply = assignment.current_reply
    if reply is not None and user.id in (reply.submitted_by_id, reply.created_by_id):
        return "不能签发本人起草或送签的答复件。"
    return None


def within_adjustment_window(user, assignment, ctx):
    sitting = assignment.submission.sitting
    last_day = adjustment_last_day(sitting, assignment.assigned_on)
    if ctx["today"] > last_day:
        return f"申请调整须在交办后{sitting.adjustment_days}个工作日内提出（截至{cn_date(last_day)}）。"
    return None


def no_pending_extension(user, assignment, ctx):
    if assignment.pending_extension is not None:
        return "已有待审核的延期申请。"
    return None


def has_pending_extension(user, assignment, ctx):
    if assignment.pending_extension is None:
        return "没有待审核的延期申请。"
    return None


def is_key(user, submission, ctx):
    """督办记录 are kept on 重点 cases."""
    return None if submission.is_key else "只有重点提案/建议才记录督办情况，请先设为重点。"


def may_withdraw(user, submission, ctx):
    """撤回 is asked for before any department has answered, once at a time."""
    if submission.withdrawal_pending:
        return "撤回申请已提交，等待审核。"
    if any(a.answered_on is not None for a in submission.assignments):
        return "已有承办单位答复，不能再撤回。"
    return None


def withdrawal_requested(user, submission, ctx):
    return None if submission.withdrawal_pending else "没有待审核的撤回申请。"


def cosigner_has_not_given(user, assignment, ctx):
    """A co-signer adds one opinion to each delivered reply."""
    reply = assignment.current_reply
    if reply is None or reply.delivered_at is None:
        return "尚无已答复的答复件。"
    if user.member is not None and any(o.member_id == user.member.id for o in reply.cosigner_opinions):
        return "您已对本次答复提出意见。"
    return None


def under_follow_up(user, assignment, ctx):
    # "answering": the 二次答复 being started (its state then keeps these actions away until it is delivered)
    return None if assignment.under_follow_up else "本件不在跟踪落实中。"
