"""States and the one transition table: from which states, to which state, by whom, under what guard.

The case page asks this table which actions to offer and the engine asks it whether to allow one,
so the buttons shown and the actions allowed cannot disagree.
"""
from dataclasses import dataclass
from typing import Callable

from ..vocab import ANSWERING_ROLES as ANSWERING
from . import guards

SUBMISSION_STATES = {
    "registered": "待立案",
    "returned": "退回修改",
    "rejected": "不立案",
    "merged": "已并案",
    "converted": "转为意见",
    "accepted": "待交办",
    "assigned": "办理中",
    "answered": "已答复",
    "closed": "已办结",
    "withdrawn": "已撤回",
}

ASSIGNMENT_STATES = {
    "pending_ack": "待签收",
    "adjustment_requested": "申请调整中",
    "drafting": "办理中",
    "awaiting_signoff": "待签发",
    "signed": "已签发",
    #: 答复审核 passed: the department may deliver
    "approved": "审核通过待答复",
    "delivered": "已答复",
    "dissatisfied": "不满意",
    "opinion_submitted": "已提交会办意见",
    "reassigned": "已调整",
    "closed": "已办结",
    #: the case was withdrawn (撤回) before this department answered
    "withdrawn": "已撤回",
}

SUBMISSION = "submission"
ASSIGNMENT = "assignment"
#: a case may be withdrawn (撤回) from these states, before it is answered
WITHDRAWABLE = ("registered", "returned", "accepted", "assigned")
OPEN = ("pending_ack", "adjustment_requested", "drafting", "awaiting_signoff", "signed", "approved")


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    target: str                    # SUBMISSION or ASSIGNMENT
    sources: tuple[str, ...]       # states it may start from
    dest: str | None               # None: an action that keeps the state
    actors: tuple[str, ...]        # names in actors.RULES; () for the system's own moves
    roles: tuple[str, ...] | None = None   # assignment roles it applies to (None: all)
    guard: Callable | None = None
    #: guard failing hides the action instead of offering it with an explanation
    hide_on_guard: bool = False
    comment_required: bool = False


_T = Transition
TRANSITIONS: dict[str, Transition] = {t.name: t for t in [
    # -- review by the clerk -------------------------------------------------------------
    _T("register", "登记", SUBMISSION, (), "registered", ("clerk",)),
    _T("submit_online", "网上提交", SUBMISSION, (), "registered", ("lead_proposer",)),
    _T("edit_submission", "修改登记信息", SUBMISSION, ("registered", "accepted"), None, ("clerk",)),
    _T("accept", "立案", SUBMISSION, ("registered",), "accepted", ("clerk",)),
    _T("reject", "不立案", SUBMISSION, ("registered",), "rejected", ("clerk",)),
    _T("return_for_revision", "退回修改", SUBMISSION, ("registered",), "returned", ("clerk",),
       comment_required=True),
    _T("resubmit", "修改后重新提交", SUBMISSION, ("returned",), "registered", ("lead_proposer", "clerk")),
    _T("merge", "并案", SUBMISSION, ("registered", "accepted"), "merged", ("clerk",)),
    _T("convert", "转为意见", SUBMISSION, ("registered",), "converted", ("clerk",)),
    _T("assign", "交办", SUBMISSION, ("accepted",), "assigned", ("clerk",)),
    # -- 撤回: the lead asks before the answer, the clerk decides --------------------------------
    _T("request_withdrawal", "申请撤回", SUBMISSION, WITHDRAWABLE, None, ("lead_proposer",),
       guard=guards.may_withdraw, hide_on_guard=True, comment_required=True),
    _T("confirm_withdrawal", "同意撤回", SUBMISSION, WITHDRAWABLE, "withdrawn", ("clerk",),
       guard=guards.withdrawal_requested, hide_on_guard=True),
    _T("refuse_withdrawal", "不同意撤回", SUBMISSION, WITHDRAWABLE, None, ("clerk",),
       guard=guards.withdrawal_requested, hide_on_guard=True, comment_required=True),
    # -- 重点提案 / 重点建议 and their 督办 --------------------------------------------------------
    _T("set_supervision", "重点督办", SUBMISSION, ("registered", "accepted", "assigned", "answered", "closed"), None,
       ("clerk",)),
    _T("record_supervision", "督办记录", SUBMISSION, ("accepted", "assigned", "answered", "closed"), None, ("clerk",),
       guard=guards.is_key, hide_on_guard=True),
    # -- moves the engine makes when the assignments change -----------------------------------
    _T("all_answered", "全部答复", SUBMISSION, ("assigned",), "answered", ()),
    _T("close_case", "办结", SUBMISSION, ("assigned", "answered"), "closed", ()),
    _T("reopen", "重新办理", SUBMISSION, ("answered", "closed"), "assigned", ()),
    # -- the department ------------------------------------------------------------------
    _T("acknowledge", "签收", ASSIGNMENT, ("pending_ack",), "drafting", ("handler",)),
    _T("request_adjustment", "申请调整", ASSIGNMENT, ("pending_ack",), "adjustment_requested",
       ("handler",), guard=guards.within_adjustment_window, hide_on_guard=True, comment_required=True),
    _T("grant_adjustment", "同意调整", ASSIGNMENT, ("adjustment_requested",), "reassigned", ("clerk",)),
    _T("refuse_adjustment", "不同意调整", ASSIGNMENT, ("adjustment_requested",), "pending_ack",
       ("clerk",), comment_required=True),
    _T("record_contact", "沟通记录", ASSIGNMENT,
       ("drafting", "awaiting_signoff", "signed", "approved", "delivered", "dissatisfied"), None, ("handler",)),
    _T("submit_opinion", "提交会办意见", ASSIGNMENT, ("drafting",), "opinion_submitted", ("handler",),
       roles=("co",)),
    _T("waive_opinion", "免交会办意见", ASSIGNMENT, ("pending_ack", "drafting"), "closed",
       ("clerk",), roles=("co",), comment_required=True),
    _T("save_draft", "保存答复件", ASSIGNMENT, ("drafting",), None, ("handler",), roles=ANSWERING),
    _T("submit_for_signoff", "送签", ASSIGNMENT, ("drafting",), "awaiting_signoff", ("handler",),
       roles=ANSWERING, guard=guards.all_of(guards.reply_complete, guards.opinions_in)),
    # -- the signer ----------------------------------------------------------------------
    _T("return_reply", "退回修改", ASSIGNMENT, ("awaiting_signoff",), "drafting", ("signer",),
       roles=ANSWERING, guard=guards.not_own_draft, comment_required=True),
    _T("sign_reply", "签发", ASSIGNMENT, ("awaiting_signoff",), "signed", ("signer",),
       roles=ANSWERING, guard=guards.not_own_draft),
    # -- 答复审核 by the clerks, where the sitting asks for it ----------------------------------
    _T("pass_review", "答复审核通过", ASSIGNMENT, ("signed",), "approved", ("clerk",), roles=ANSWERING,
       guard=guards.review_required, hide_on_guard=True),
    _T("return_for_rework", "退回重办", ASSIGNMENT, ("signed",), "drafting", ("clerk",), roles=ANSWERING,
       guard=guards.review_required, hide_on_guard=True, comment_required=True),
    _T("deliver_reply", "答复", ASSIGNMENT, ("signed", "approved"), "delivered", ("handler", "signer"),
       roles=ANSWERING, guard=guards.reviewed_if_required, hide_on_guard=True),
    # -- the proposer (or a clerk entering a paper 征询意见表) and the clerk after delivery -----------
    _T("feedback_satisfied", "评价（满意/基本满意）", ASSIGNMENT, ("delivered",), "closed", ("lead_proposer", "clerk"),
       roles=ANSWERING),
    _T("feedback_dissatisfied", "评价（不满意）", ASSIGNMENT, ("delivered",), "dissatisfied",
       ("lead_proposer", "clerk"), roles=ANSWERING),
    _T("add_cosigner_opinion", "联名人意见", ASSIGNMENT, ("delivered", "dissatisfied", "closed"), None, ("cosigner",),
       roles=ANSWERING, guard=guards.cosigner_has_not_given, hide_on_guard=True, comment_required=True),
    _T("order_rehandling", "重新办理", ASSIGNMENT, ("dissatisfied",), "drafting", ("clerk",),
       roles=ANSWERING),
    _T("close_assignment", "办结", ASSIGNMENT, ("dissatisfied",), "closed", ("clerk",),
       roles=ANSWERING, comment_required=True),
    # -- 跟踪落实 of a B / C (人大 also D) answer: progress, then the 二次答复 once the matter is solved -----
    _T("record_progress", "落实进展", ASSIGNMENT, ("delivered", "dissatisfied", "closed"), None, ("handler",),
       roles=ANSWERING, guard=guards.under_follow_up, hide_on_guard=True, comment_required=True),
    _T("start_second_answer", "二次答复", ASSIGNMENT, ("delivered", "closed"), "drafting", ("handler",),
       roles=ANSWERING, guard=guards.under_follow_up, hide_on_guard=True),
    _T("urge", "催办", ASSIGNMENT, OPEN, None, ("clerk",), comment_required=True),
    # -- deadlines ------------------------------------------------------------------------
    _T("request_extension", "申请延期", ASSIGNMENT, OPEN, None, ("handler",), guard=guards.no_pending_extension,
       hide_on_guard=True, comment_required=True),
    _T("grant_extension", "同意延期", ASSIGNMENT, OPEN, None, ("clerk",), guard=guards.has_pending_extension,
       hide_on_guard=True),
    _T("refuse_extension", "不同意延期", ASSIGNMENT, OPEN, None, ("clerk",), guard=guards.has_pending_extension,
       hide_on_guard=True, comment_required=True),
    _T("change_due", "调整办理期限", ASSIGNMENT, OPEN, None, ("clerk",), comment_required=True),
]}

#: the transitions from nothing: a case registered by a clerk, or submitted online by its lead (网上提交)
STARTS = ("register", "submit_online")

#: things recorded on the timeline that are not transitions of their own
EXTRA_ACTION_LABELS = {
    # written by earlier versions; kept so their timelines still read
    "assign_department": "交办单位",
    "attach": "上传附件",
    "end_co_handling": "会办结束",
    "notify": "通知",
}


def action_label(name: str) -> str:
    if name in TRANSITIONS:
        return TRANSITIONS[name].label
    return EXTRA_ACTION_LABELS.get(name, name)


def state_label(code: str | None) -> str:
    if code is None:
        return ""
    return SUBMISSION_STATES.get(code) or ASSIGNMENT_STATES.get(code, code)
