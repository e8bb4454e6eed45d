"""网上提交: a member's draft, its co-signers' invitations and answers, and the submission that makes it a case.

Every change to a draft needs its sitting open for submission (its window): outside it the change is refused
and nothing is saved. Functions flush, never commit."""
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..clock import cn_date, now_utc, today
from ..extensions import db
from ..models import Category, Draft, DraftFile, DraftInvitation, Member, Notification, Sitting
from ..notifications import messages
from ..notifications.service import clerks_for, notify
from ..services import ServiceError
from ..services import submissions as submission_service
from ..services.attachments import Upload, checked
from ..vocab import DISCLOSURE_WISHES, KIND_LABEL_OF_BODY, PERIODS

#: co-signers a draft may invite (a 联名 list is rarely longer than a page)
MAX_INVITED = 50
#: names the member search shows at once
SEARCH_LIMIT = 20


@dataclass
class DraftData:
    title: str
    content: str
    category_id: int | None
    period: str
    disclosure_wish: str
    suggested_departments: str | None = None


def open_sittings(member) -> list[Sitting]:
    """The sittings of the member's body open for online submission today."""
    on = today()
    return db.session.scalars(select(Sitting).where(
        Sitting.body == member.body, Sitting.active.is_(True), Sitting.submission_opens_on <= on,
        Sitting.submission_closes_on >= on).order_by(Sitting.submission_closes_on, Sitting.id)).all()


def window_closed(sitting) -> str | None:
    """Why `sitting` takes no online submission today; None when it does."""
    if sitting.open_for_submission(today()):
        return None
    if sitting.submission_opens_on and sitting.submission_closes_on:
        when = f"网上提交时间为{cn_date(sitting.submission_opens_on)}至{cn_date(sitting.submission_closes_on)}"
        state = "尚未开始" if today() < sitting.submission_opens_on else "已截止"
        return f"{sitting.name}的网上提交{state}（{when}）"
    return f"{sitting.name}未开放网上提交"


def check_window(sitting):
    """ServiceError unless `sitting` takes online submissions today."""
    closed = window_closed(sitting)
    if closed:
        raise ServiceError(f"{closed}，未保存。")


def _member_of(user):
    member = user.member
    if member is None or not user.has_role("member"):
        raise ServiceError("您的账号未关联委员/代表信息，不能网上提交。请联系工作人员。")
    return member


def _check(data: DraftData, for_submission: bool = False):
    title, content = data.title.strip(), data.content.strip()
    if data.period not in PERIODS:
        raise ServiceError("请选择提交时段（大会期间或闭会期间）。")
    if data.disclosure_wish not in DISCLOSURE_WISHES:
        raise ServiceError("请选择是否同意公开。")
    if data.category_id is not None and db.session.get(Category, data.category_id) is None:
        raise ServiceError("所选类别不存在。")
    if for_submission:
        missing = [label for label, value in (("标题", title), ("正文", content)) if not value]
        if data.category_id is None:
            missing.append("类别")
        if missing:
            raise ServiceError("提交前请填写：" + "、".join(missing) + "。")
    elif not title:
        raise ServiceError("请填写标题（草稿也须有标题，便于查找）。")


def _write(draft: Draft, data: DraftData) -> bool:
    """Put the form's values on the draft; True when its title or text changed."""
    changed = (draft.title, draft.content) != (data.title.strip(), data.content.strip())
    draft.title, draft.content = data.title.strip(), data.content.strip()
    draft.category_id, draft.period, draft.disclosure_wish = data.category_id, data.period, data.disclosure_wish
    draft.suggested_departments = (data.suggested_departments or "").strip() or None
    return changed


def create_draft(user, sitting, data: DraftData, uploads=()) -> Draft:
    member = _member_of(user)
    if sitting.body != member.body:
        kind = KIND_LABEL_OF_BODY[sitting.body]
        raise ServiceError(f"{sitting.name}只受理{sitting.body_label}{sitting.member_title}的{kind}。")
    check_window(sitting)
    _check(data)
    draft = Draft(sitting=sitting, lead=member)
    _write(draft, data)
    db.session.add(draft)
    _attach(draft, uploads)
    db.session.flush()
    return draft


def _editable(user, draft):
    if draft.state != "draft":
        raise ServiceError("本件已提交，不能再修改草稿。")
    if not is_lead(user, draft):
        raise ServiceError("只有领衔人可以修改。")
    check_window(draft.sitting)


def save_draft(user, draft: Draft, data: DraftData, uploads=()) -> list[str]:
    """Save; a changed title or text asks the co-signers who agreed to confirm again (they agreed to the words).
    Returns the names asked again."""
    _editable(user, draft)
    _check(data)
    asked_again = []
    if _write(draft, data):
        for invitation in draft.invitations:
            if invitation.state == "confirmed":
                invitation.state, invitation.answered_at = "invited", None
                asked_again.append(invitation)
    _attach(draft, uploads)
    for invitation in asked_again:
        _tell_invitee(invitation, changed=True)
    db.session.flush()
    return [i.member.name for i in asked_again]


def _attach(draft, uploads):
    for upload, content_type in checked(uploads):
        draft.files.append(DraftFile(filename=upload.filename, content_type=content_type, size=len(upload.data),
                                     data=upload.data))


def remove_file(user, draft, file_id: int):
    _editable(user, draft)
    found = next((f for f in draft.files if f.id == file_id), None)
    if found is None:
        raise ServiceError("附件不存在或已删除。")
    draft.files.remove(found)
    db.session.flush()


def delete_draft(user, draft):
    _editable(user, draft)
    for invitation in draft.invitations:
        if invitation.member.user is not None and invitation.state != "declined":
            notify([invitation.member.user], None, messages.invitation_cancelled(draft))
    # SQLite keeps no foreign key on the column: cleared here as PostgreSQL's ON DELETE SET NULL would
    db.session.execute(update(Notification).where(Notification.draft_id == draft.id).values(draft_id=None)
                       .execution_options(synchronize_session=False))
    db.session.delete(draft)
    db.session.flush()


def is_lead(user, draft) -> bool:
    return user.member is not None and user.has_role("member") and draft.lead_id == user.member.id


def invitation_of(user, draft) -> DraftInvitation | None:
    if user.member is None or not user.has_role("member"):
        return None
    return next((i for i in draft.invitations if i.member_id == user.member.id), None)


def find_members(draft, query: str) -> list[Member]:
    """Members of the draft's body whose name holds `query` (namesakes all shown, told apart by 界别·单位)."""
    words = (query or "").strip()[:20]
    if not words:
        return []
    invited = {i.member_id for i in draft.invitations} | {draft.lead_id}
    pattern = f"%{words}%"
    found = db.session.scalars(select(Member).where(
        Member.body == draft.sitting.body, Member.kind == "person", Member.name.like(pattern),
        Member.id.not_in(invited)).order_by(func.length(Member.name), Member.name, Member.id).limit(SEARCH_LIMIT)).all()
    return found


def can_be_invited(member) -> bool:
    """Only someone with an active member account can confirm in the app."""
    user = member.user
    return user is not None and user.active and user.has_role("member")


def invite(user, draft, member_id: int) -> DraftInvitation:
    _editable(user, draft)
    if draft.lead.is_group:
        raise ServiceError("以集体名义提出的，不能邀请个人联名。")
    member = db.session.get(Member, member_id)
    if member is None or member.body != draft.sitting.body or member.is_group:
        raise ServiceError(f"只能邀请{draft.sitting.body_label}的{draft.sitting.member_title}联名。")
    if member.id == draft.lead_id:
        raise ServiceError("领衔人不必邀请自己。")
    if any(i.member_id == member.id for i in draft.invitations):
        raise ServiceError(f"已邀请{member.name}。")
    if not can_be_invited(member):
        raise ServiceError(f"{member.qualified_name}尚未开通账号，无法在系统中确认联名。")
    if len(draft.invitations) >= MAX_INVITED:
        raise ServiceError(f"联名人最多邀请{MAX_INVITED}位。")
    invitation = DraftInvitation(member=member, position=max((i.position for i in draft.invitations), default=0) + 1)
    draft.invitations.append(invitation)
    _tell_invitee(invitation)
    db.session.flush()
    return invitation


def uninvite(user, draft, invitation_id: int):
    _editable(user, draft)
    invitation = next((i for i in draft.invitations if i.id == invitation_id), None)
    if invitation is None:
        raise ServiceError("该邀请不存在或已取消。")
    draft.invitations.remove(invitation)
    if invitation.state != "declined":
        notify([invitation.member.user], None, messages.invitation_cancelled(draft), draft=draft)
    db.session.flush()


def answer(user, invitation: DraftInvitation, agree: bool):
    """联名 or not: the invitee's own answer, changeable until the lead submits."""
    draft = invitation.draft
    if user.member is None or invitation.member_id != user.member.id:
        raise ServiceError("只能答复邀请您的联名。")
    if draft.state != "draft":
        raise ServiceError("领衔人已提交本件，联名名单已确定。")
    invitation.state, invitation.answered_at = ("confirmed" if agree else "declined"), now_utc()
    lead_user = draft.lead.user
    if lead_user is not None:
        notify([lead_user], None, messages.invitation_answered(draft, invitation), draft=draft)
    db.session.flush()


def _tell_invitee(invitation, changed: bool = False):
    user = invitation.member.user
    if user is not None:
        notify([user], None, messages.invited(invitation.draft, changed=changed), draft=invitation.draft)


def submit(user, draft: Draft):
    """The lead submits: the case is registered in the sitting (待立案, 网上提交) with the co-signers who agreed,
    in the order they were invited; those who had not answered are told the list closed without them."""
    _editable(user, draft)
    _check(DraftData(draft.title, draft.content, draft.category_id, draft.period, draft.disclosure_wish), True)
    confirmed = draft.confirmed
    unanswered = [i for i in draft.invitations if i.state == "invited"]
    uploads = [Upload(f.filename, f.data) for f in draft.files]
    data = submission_service.SubmissionData(
        sitting=draft.sitting, kind=draft.sitting.submission_kind, number=None, title=draft.title,
        content=draft.content, category=draft.category, submitted_on=today(), is_key=False,
        disclosure_wish=draft.disclosure_wish, lead=draft.lead, cosigners=confirmed, uploads=uploads,
        period=draft.period, suggested_departments=draft.suggested_departments)
    submission = submission_service.register_submission(user, data, online=True)
    draft.state, draft.submission = "submitted", submission
    for invitation in unanswered:
        notify([invitation.member.user], None, messages.invitation_closed(draft), draft=draft)
    for invitation in draft.invitations:
        if invitation.state == "confirmed":
            notify([invitation.member.user], submission, messages.cosigned_submitted(submission))
    notify(clerks_for(draft.sitting.body), submission, messages.submitted_online(submission))
    db.session.flush()
    return submission


def my_drafts(member):
    """The member's drafts not yet submitted, newest first."""
    return db.session.scalars(select(Draft).where(Draft.lead_id == member.id, Draft.state == "draft")
                              .options(joinedload(Draft.sitting), selectinload(Draft.invitations))
                              .order_by(Draft.updated_at.desc(), Draft.id.desc())).all()


def my_invitations(member):
    """Invitations to the member on drafts not yet submitted."""
    return db.session.scalars(select(DraftInvitation).join(DraftInvitation.draft).where(
        DraftInvitation.member_id == member.id, Draft.state == "draft")
        .options(contains_eager(DraftInvitation.draft).joinedload(Draft.sitting),
                 contains_eager(DraftInvitation.draft).joinedload(Draft.lead))
        .order_by(DraftInvitation.invited_at.desc(), DraftInvitation.id.desc())).all()
