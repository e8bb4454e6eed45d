"""A member's cases and what each one's state means to them, in plain words."""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .. import permissions as perm
from ..models import Assignment, Reply, Submission, SubmissionProposer


def own_cases(member):
    """Every case the member proposed, led or co-signed, newest first (merged ones included: they read their
    host's answer)."""
    own = select(SubmissionProposer.submission_id).where(SubmissionProposer.member_id == member.id)
    answering = selectinload(Submission.assignments)
    host_answering = joinedload(Submission.merged_into).selectinload(Submission.assignments)
    return (select(Submission).where(Submission.id.in_(own))
            .order_by(Submission.submitted_on.desc().nulls_last(), Submission.id.desc())
            .options(joinedload(Submission.sitting), selectinload(Submission.proposers),
                     # whether a reply is theirs asks who proposed the cases merged into it
                     selectinload(Submission.merged).selectinload(Submission.proposers),
                     joinedload(Submission.merged_into).selectinload(Submission.merged)
                     .selectinload(Submission.proposers),
                     *[path.options(joinedload(Assignment.contacts), selectinload(Assignment.replies).options(
                         joinedload(Reply.feedback)), selectinload(Assignment.progress))
                       for path in (answering, host_answering)]))


@dataclass
class MyCase:
    submission: Submission
    #: 领衔 (集体提出 for a group) / 联名 / 附议
    part: str
    #: 已立案, 已交办市教育局等2个单位, 办理中, 已答复, 已办结 ...
    state: str
    #: the host's departments at work on it, with their role
    departments: list = field(default_factory=list)
    due_on: object = None
    contacts: list = field(default_factory=list)
    replies: list = field(default_factory=list)
    #: merged into this one: its answer is theirs
    merged_into: Submission | None = None
    follow_up: list = field(default_factory=list)
    #: the assignments whose reply this member may rate now (the lead of the case that was answered)
    to_rate: set = field(default_factory=set)


def plain_state(submission) -> str:
    """The state as a member says it, from the case (or the one it was merged into) and its departments."""
    host = submission.answer_host
    state = host.state
    if state == "registered":
        return "已提交，待立案"
    if state == "assigned":
        answering = host.answering_assignments
        if answering and all(a.state == "pending_ack" for a in answering):
            return "已交办"
        return "办理中"
    words = {"returned": "已退回修改", "rejected": "不予立案", "converted": "转为意见处理", "accepted": "已立案",
             "answered": "已答复", "closed": "已办结", "withdrawn": "已撤回", "merged": "已并案"}
    return words.get(state, host.state_label)


def my_case(user, submission) -> MyCase:
    member = user.member
    position = next((p.position for p in submission.proposers if p.member_id == member.id), None)
    if position == 0:
        part = "集体提出" if member.is_group else "领衔"
    else:
        part = "联名" if submission.sitting.body == "cppcc" else "附议"
    host = submission.answer_host
    active = host.active_assignments
    open_answering = [a for a in host.answering_assignments if a.is_open]
    return MyCase(
        submission=submission, part=part, state=plain_state(submission),
        departments=[a for a in active if a.state != "withdrawn"],
        due_on=min((a.due_on for a in open_answering), default=None),
        contacts=sorted((c for a in active for c in a.contacts), key=lambda c: (c.contact_on, c.id))
        if perm.sees_contacts(user, host) else [],
        replies=[(a, r) for a in active for r in a.replies if r.delivered_at and perm.can_view_reply(user, r)],
        merged_into=host if host is not submission else None,
        follow_up=[a for a in active if a.under_follow_up],
        to_rate={a.id for a in active if perm.can(user, a, "feedback_satisfied")},
    )

