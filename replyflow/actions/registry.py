"""Every case action, declared once: its transition, URL, form, service call and button.

The POST routes (actions/views.py) and the buttons and forms on the case page
(templates/actions/macros.html) are both generated from these rows; tests check that every
transition a person fires has a row, and that each row's route writes one timeline entry.
"""
from dataclasses import dataclass
from typing import Callable

from flask import url_for
from sqlalchemy import select

from ..clock import cn_date, today
from ..extensions import db
from ..forms_common import EmptyForm
from ..models import Department, RejectionGround
from ..services import assignments as assignment_service
from ..services import deadlines as deadline_service
from ..services import feedback as feedback_service
from ..services import follow_up as follow_up_service
from ..services import replies as reply_service
from ..services import submissions as submission_service
from ..services import supervision as supervision_service
from ..services import withdrawal as withdrawal_service
from ..workflow import actors
from ..workflow.states import ASSIGNMENT, TRANSITIONS
from . import forms


@dataclass(frozen=True)
class CaseAction:
    #: endpoint name (actions.<name>); unique
    name: str
    #: the row of the transition table whose actors may post it
    transition: str
    #: URL under /submissions/<id>/ or /assignments/<id>/; None for an action with a page of its own
    path: str | None = None
    form: Callable | None = None           # (user, obj) -> form, choices filled in
    call: Callable | None = None           # (user, obj, form) -> one service call
    done: str = ""                         # the message shown after it succeeded
    #: the button's words; the transition's label when None; (user, obj) -> str when it depends
    label: str | Callable | None = None
    #: endpoint of the page the button opens (registration edit, 交办, the reply editor)
    page: str | None = None
    #: "button" one click; "fold" a folded form; "panel" a form shown in a column
    layout: str = "button"
    style: str = "primary"
    #: panels that are alternatives (立案 / 不立案 / ...) share a decision: the page shows one form at a time
    decision: str | None = None
    #: asked before an irreversible step, saying what happens
    confirm: str | None = None
    #: where on the case page: "head" (top of the page), "review" (审查), "withdrawal" (撤回), "supervision",
    #: "card" / "card_end" (an assignment)
    section: str = "card"
    #: other transitions the same route may fire (评价: 满意 or 不满意)
    also: tuple[str, ...] = ()
    #: a template shown above the form (the checks of 答复审核)
    extra: str | None = None
    #: the words of the form's button where they differ from the heading (征询意见 → 提交评价)
    submit: str | None = None
    #: slow work done before the row is locked, (user, obj) -> what `call` gets as its fourth argument
    #: (签发 renders the reply and checks it on the page first)
    prepare: Callable | None = None

    @property
    def target(self) -> str:
        return TRANSITIONS[self.transition].target

    @property
    def transitions(self) -> tuple[str, ...]:
        return (self.transition, *self.also)

    def url(self, obj) -> str:
        if self.page:
            key = "assignment_id" if self.target == ASSIGNMENT else "submission_id"
            return url_for(self.page, **{key: obj.id})
        return url_for(f"actions.{self.name}", obj_id=obj.id)

    def button(self, user, obj) -> str:
        if callable(self.label):
            return self.label(user, obj)
        return self.label or TRANSITIONS[self.transition].label


def _grounds(user, obj):
    form = forms.RejectForm()
    form.ground_id.choices = [(g.id, g.name) for g in db.session.scalars(
        select(RejectionGround).where(RejectionGround.active.is_(True)).order_by(RejectionGround.position))]
    return form


def _departments(user, assignment):
    form = forms.GrantAdjustmentForm()
    form.department_id.choices = [(d.id, d.name) for d in db.session.scalars(
        select(Department).where(Department.active.is_(True), Department.id != assignment.department_id)
        .order_by(Department.name))]
    form.due_on.description = f"留空保持{cn_date(assignment.due_on)}"
    return form


def _contact(user, assignment):
    form = forms.ContactForm()
    if not form.is_submitted():
        form.contact_on.data, form.method.data = today(), "phone"
    return form


def _rehandle(user, assignment):
    form = forms.RehandleForm()
    form.due_on.description = f"留空为{assignment.submission.sitting.rehandling_months}个月"
    return form


def _extension_grant(user, assignment):
    form = forms.ExtensionGrantForm()
    pending = assignment.pending_extension
    if pending is not None:
        form.due_on.description = f"留空为申请的{cn_date(pending.requested_due_on)}"
    return form


def _rework(user, assignment):
    form = forms.ReworkForm()
    form.due_on.description = f"留空为{assignment.submission.sitting.rehandling_months}个月，或保持现有期限（取较晚者）"
    return form


def _feedback(user, assignment):
    """The member rates online; a clerk entering a paper form also gives the date written on it."""
    form = forms.FeedbackForm()
    if actors.lead_proposer(user, assignment):
        del form.answered_on
    return form


def _feedback_label(user, assignment):
    return "征询意见" if user.has_role("member") and user.member is not None else "录入纸质征询意见表"


def _supervision(user, submission):
    form = forms.SupervisionForm()
    if not form.is_submitted():
        form.is_key.data = "yes" if submission.is_key else "no"
        form.supervisor.data, form.supervising_office.data = submission.supervisor, submission.supervising_office
    return form


def _supervision_record(user, submission):
    form = forms.SupervisionRecordForm()
    if not form.is_submitted():
        form.held_on.data, form.kind.data = today(), "progress"
    return form


def _static(form_class):
    return lambda user, obj: form_class()


ACTIONS: list[CaseAction] = [
    # -- registration and review (the clerk) ---------------------------------------------
    CaseAction("edit_submission", "edit_submission", page="submissions.edit", section="head", style="outline-secondary"),
    CaseAction("assign", "assign", page="submissions.assign", section="head", style="danger"),
    CaseAction("resubmit", "resubmit", page="submissions.resubmit", section="head", style="danger"),
    CaseAction("accept", "accept", "accept", _static(forms.comment_form("立案意见（可选）", False)),
               lambda u, s, f: submission_service.accept(u, s, f.comment.data), "已立案。",
               layout="panel", style="success", section="review", decision="审查决定",
               confirm="立案后本件进入待交办，由工作人员交办承办单位；立案不能撤回。确定立案？"),
    CaseAction("reject", "reject", "reject", _grounds,
               lambda u, s, f: submission_service.reject(u, s, db.session.get(RejectionGround, f.ground_id.data),
                                                         f.note.data),
               "已作不立案处理。", layout="panel", style="outline-dark", section="review", decision="审查决定",
               confirm="不立案后本件办理结束，提出人将看到不立案的理由；不能撤回。确定不立案？"),
    CaseAction("return_for_revision", "return_for_revision", "return", _static(forms.comment_form("退回修改意见", True)),
               lambda u, s, f: submission_service.return_for_revision(u, s, f.comment.data), "已退回提出人修改。",
               layout="panel", style="outline-warning", section="review", decision="审查决定"),
    CaseAction("merge", "merge", "merge", _static(forms.MergeForm),
               lambda u, s, f: submission_service.merge(u, s, f.host_number.data, f.comment.data), "已并案。",
               layout="panel", style="outline-info", section="review", decision="审查决定",
               confirm="并案后本件不再单独办理，随所并入的件一并交办和答复。确定并案？"),
    CaseAction("convert", "convert", "convert", _static(forms.comment_form("转为意见的说明（可选）", False)),
               lambda u, s, f: submission_service.convert(u, s, f.comment.data), "已转为意见。",
               layout="panel", style="outline-info", section="review", decision="审查决定",
               confirm="转为意见后本件不再作为提案/建议办理。确定转为意见？"),
    # -- 撤回: the lead asks, the clerk decides ------------------------------------------------------
    CaseAction("request_withdrawal", "request_withdrawal", "withdrawal", _static(forms.comment_form("撤回理由", True)),
               lambda u, s, f: withdrawal_service.request_withdrawal(u, s, f.comment.data),
               "撤回申请已提交，等待工作人员审核。", layout="fold", style="outline-danger", section="withdrawal",
               label="申请撤回", confirm="撤回经工作人员同意后，本件不再办理。确定申请撤回？"),
    CaseAction("confirm_withdrawal", "confirm_withdrawal", "withdrawal/confirm",
               _static(forms.comment_form("审核意见（可选）", False)),
               lambda u, s, f: withdrawal_service.confirm_withdrawal(u, s, f.comment.data), "已同意撤回，本件已撤回。",
               layout="panel", style="danger", section="withdrawal", decision="撤回申请",
               confirm="同意后本件即撤回，承办单位不再办理；不能恢复。确定同意撤回？"),
    CaseAction("refuse_withdrawal", "refuse_withdrawal", "withdrawal/refuse",
               _static(forms.comment_form("不同意的理由", True)),
               lambda u, s, f: withdrawal_service.refuse_withdrawal(u, s, f.comment.data), "已不同意撤回。",
               layout="panel", style="outline-secondary", section="withdrawal", decision="撤回申请"),
    # -- 重点 cases and their 督办 (the clerk) ----------------------------------------------------
    CaseAction("set_supervision", "set_supervision", "supervision", _supervision,
               lambda u, s, f: supervision_service.set_supervision(
                   u, s, f.is_key.data == "yes", f.supervisor.data, f.supervising_office.data),
               "重点督办信息已保存。", layout="fold", style="outline-danger", section="supervision",
               label=lambda u, s: "修改重点督办" if s.is_key else "设为重点并指定督办"),
    CaseAction("record_supervision", "record_supervision", "supervision/records", _supervision_record,
               lambda u, s, f: supervision_service.record_supervision(u, s, f.kind.data, f.held_on.data,
                                                                      f.summary.data),
               "督办记录已保存。", layout="fold", style="outline-primary", section="supervision",
               label="添加督办记录"),
    # -- the department ----------------------------------------------------------------------
    CaseAction("acknowledge", "acknowledge", "acknowledge", _static(EmptyForm),
               lambda u, a, f: assignment_service.acknowledge(u, a), "已签收。", style="success"),
    CaseAction("save_draft", "save_draft", page="replies.edit", label="起草/修改答复件"),
    CaseAction("submit_for_signoff", "submit_for_signoff", "reply/submit", _static(EmptyForm),
               lambda u, a, f, checked: reply_service.submit_for_signoff(u, a, checked), "已送签。", style="warning",
               prepare=reply_service.prepare_submission),
    CaseAction("sign_reply", "sign_reply", "reply/sign", _static(forms.comment_form("签发意见（可选）", False)),
               lambda u, a, f, prepared: reply_service.sign_reply(u, a, f.comment.data, prepared), "已签发。",
               layout="panel", style="danger", decision="签发", confirm="签发后答复件即定稿、编发文字号，不能再修改。确定签发？",
               prepare=reply_service.prepare_signing),
    CaseAction("return_reply", "return_reply", "reply/return", _static(forms.comment_form("退回意见", True)),
               lambda u, a, f: reply_service.return_reply(u, a, f.comment.data), "已退回经办人修改。",
               layout="panel", style="outline-danger", label="退回经办人修改", decision="签发"),
    CaseAction("deliver_reply", "deliver_reply", "reply/deliver", _static(EmptyForm),
               lambda u, a, f: reply_service.deliver_reply(u, a), "已答复提出人。", style="success",
               label="答复提出人", confirm="答复后，提出人即可查看、下载答复件并评价；答复不能撤回。确定答复？"),
    CaseAction("request_adjustment", "request_adjustment", "adjustment", _static(forms.comment_form("调整理由", True)),
               lambda u, a, f: assignment_service.request_adjustment(u, a, f.comment.data), "调整申请已提交，等待审核。",
               layout="fold", style="outline-warning"),
    CaseAction("grant_adjustment", "grant_adjustment", "adjustment/grant", _departments,
               lambda u, a, f: assignment_service.grant_adjustment(
                   u, a, db.session.get(Department, f.department_id.data), f.due_on.data, f.comment.data),
               "已同意调整，改由新单位办理。", layout="panel", style="success", decision="调整申请"),
    CaseAction("refuse_adjustment", "refuse_adjustment", "adjustment/refuse", _static(forms.comment_form("不同意的理由", True)),
               lambda u, a, f: assignment_service.refuse_adjustment(u, a, f.comment.data), "已不同意调整。",
               layout="panel", style="outline-danger", decision="调整申请"),
    CaseAction("submit_opinion", "submit_opinion", "opinion",
               _static(forms.comment_form("会办意见（提交给主办单位）", True, field="opinion", n=20000)),
               lambda u, a, f: assignment_service.submit_opinion(u, a, f.opinion.data), "会办意见已提交主办单位。",
               layout="panel"),
    CaseAction("waive_opinion", "waive_opinion", "opinion/waive", _static(forms.comment_form("免交理由", True)),
               lambda u, a, f: assignment_service.waive_opinion(u, a, f.comment.data), "已同意免交会办意见。",
               layout="fold", style="outline-secondary", confirm="免交后该会办单位不再提交意见。确定？"),
    CaseAction("record_contact", "record_contact", "contacts", _contact,
               lambda u, a, f: assignment_service.record_contact(u, a, f.contact_on.data, f.method.data, f.summary.data),
               "沟通记录已保存。", layout="fold", style="outline-primary", label="添加沟通记录"),
    CaseAction("record_progress", "record_progress", "follow-up/progress", _static(forms.ProgressForm),
               lambda u, a, f: follow_up_service.record_progress(u, a, f.text.data, f.progress_on.data),
               "落实进展已记录，已告知提出人。", layout="fold", style="outline-primary", section="card_end",
               label="记录落实进展"),
    CaseAction("start_second_answer", "start_second_answer", "follow-up/second-answer", _static(EmptyForm),
               lambda u, a, f: follow_up_service.start_second_answer(u, a),
               "已开始起草二次答复：签发、答复和评价与第一次答复相同。", style="outline-success", section="card_end",
               label="问题已解决，起草二次答复",
               confirm="二次答复用于告知提出人问题已经解决，签发和答复后由提出人评价。现在开始起草？"),
    CaseAction("request_extension", "request_extension", "extension", _static(forms.ExtensionRequestForm),
               lambda u, a, f: deadline_service.request_extension(u, a, f.requested_due_on.data, f.comment.data),
               "延期申请已提交，等待审核。", layout="fold", style="outline-warning"),
    CaseAction("grant_extension", "grant_extension", "extension/grant", _extension_grant,
               lambda u, a, f: deadline_service.grant_extension(u, a, f.due_on.data, f.comment.data), "已同意延期。",
               layout="panel", style="success", decision="延期申请"),
    CaseAction("refuse_extension", "refuse_extension", "extension/refuse",
               _static(forms.comment_form("不同意的理由", True)),
               lambda u, a, f: deadline_service.refuse_extension(u, a, f.comment.data), "已不同意延期。",
               layout="panel", style="outline-danger", decision="延期申请"),
    CaseAction("change_due", "change_due", "due", _static(forms.ChangeDueForm),
               lambda u, a, f: deadline_service.change_due(u, a, f.due_on.data, f.comment.data), "办理期限已调整。",
               layout="fold", style="outline-secondary"),
    CaseAction("urge", "urge", "urge", _static(forms.comment_form("催办内容", True)),
               lambda u, a, f: assignment_service.urge(u, a, f.comment.data), "已催办。",
               layout="fold", style="outline-danger", label="催办"),
    # -- after the reply: 答复审核, the proposer's feedback, and what the clerk does next -------------
    CaseAction("pass_review", "pass_review", "review/pass", _static(forms.comment_form("审核意见（可选）", False)),
               lambda u, a, f: reply_service.pass_review(u, a, f.comment.data), "答复件审核通过，承办单位可以答复。",
               layout="panel", style="success", section="card_end", extra="actions/review_checks.html",
               decision="答复审核"),
    CaseAction("return_for_rework", "return_for_rework", "review/return", _rework,
               lambda u, a, f: reply_service.return_for_rework(u, a, f.comment.data, f.due_on.data),
               "已退回承办单位重办。",
               layout="panel", style="outline-danger", section="card_end", label="退回重办", decision="答复审核"),
    CaseAction("feedback", "feedback_satisfied", "feedback", _feedback,
               lambda u, a, f: feedback_service.give_feedback(
                   u, a, f.handling_rating.data, f.result_rating.data, f.comment.data,
                   f.answered_on.data if "answered_on" in f else None, contacted=f.contacted.data == "yes",
                   contact_method=f.contact_method.data or None),
               "评价已记录。", label=_feedback_label, submit="提交评价", layout="panel", section="card_end",
               also=("feedback_dissatisfied",), confirm="评价提交后不能修改；不满意的，承办单位可能须重新办理。确定提交评价？"),
    CaseAction("cosigner_opinion", "add_cosigner_opinion", "cosigner-opinion",
               _static(forms.comment_form("您作为联名人对答复的意见", True, field="opinion")),
               lambda u, a, f: feedback_service.add_cosigner_opinion(u, a, f.opinion.data),
               "意见已提交，工作人员和承办单位可以看到。", label="提出联名人意见", layout="fold", section="card_end"),
    CaseAction("order_rehandling", "order_rehandling", "rehandle", _rehandle,
               lambda u, a, f: feedback_service.order_rehandling(u, a, f.due_on.data, f.comment.data),
               "已交承办单位重新办理。", layout="panel", style="warning", section="card_end", decision="不满意的处理"),
    CaseAction("close_assignment", "close_assignment", "close", _static(forms.comment_form("办结说明", True)),
               lambda u, a, f: feedback_service.close_assignment(u, a, f.comment.data), "已办结。",
               layout="panel", style="outline-success", section="card_end", decision="不满意的处理",
               confirm="办结后本单位对本件的办理结束，不再重新办理。确定办结？"),
]

BY_NAME = {a.name: a for a in ACTIONS}
#: the row offering each transition (a route firing several is listed under each)
BY_TRANSITION = {t: a for a in ACTIONS for t in a.transitions}
