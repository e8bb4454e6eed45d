"""Each chosen case is handled in a savepoint of its own: what one case refuses (its state, its guard, a bad
choice of department) undoes that case alone, and the rest go on; nothing is ever half done on a case.

The work is the case actions' own service calls (the registry's), so a batch checks exactly what the case page
checks."""
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..extensions import db
from ..models import Submission
from ..permissions import visible_submissions_clause
from ..services import NotAllowed, ServiceError
from ..services import assignments as assignment_service
from ..services import submissions as submission_service
from ..workflow.engine import WorkflowError
from ..workflow.states import OPEN

log = logging.getLogger(__name__)

#: the actions a batch offers: code → label
ACTIONS = {"accept": "立案", "assign": "交办", "urge": "催办", "export": "导出已签发答复件"}


@dataclass
class Outcome:
    submission: Submission | None
    ident: int
    done: bool
    message: str


def _accept(user, submission, options):
    submission_service.accept(user, submission, options.get("comment"))
    return f"已立案{('，编号' + submission.number_label) if submission.number else ''}。"


def _assign(user, submission, options):
    assignment_service.assign(user, submission, mode=options["mode"], lead=options.get("lead"),
                              co=options.get("co", ()), split=options.get("split", ()), due_on=options.get("due_on"),
                              comment=options.get("comment"))
    return "已交办：" + "、".join(f"{a.department.name}（{a.role_label}）" for a in submission.active_assignments) + "。"


def _urge(user, submission, options):
    open_ = [a for a in submission.active_assignments if a.state in OPEN]
    if not open_:
        raise ServiceError("没有正在办理的承办单位，无需催办。")
    for assignment in open_:
        assignment_service.urge(user, assignment, options["comment"])
    return "已催办：" + "、".join(a.department.name for a in open_) + "。"


WORK = {"accept": _accept, "assign": _assign, "urge": _urge}


def chosen(user, ids: list[int]) -> dict[int, Submission]:
    """The chosen cases the user may see, by id (one statement, with what the work reads)."""
    query = select(Submission).where(Submission.id.in_(ids)).options(
        selectinload(Submission.assignments), selectinload(Submission.proposers))
    visible = visible_submissions_clause(user)
    if visible is not None:
        query = query.where(visible)
    return {s.id: s for s in db.session.scalars(query)}


def run(user, action: str, ids: list[int], options: dict) -> list[Outcome]:
    """Do `action` on each case, in the order chosen (the list's); flushes, and leaves the commit to the caller."""
    cases = chosen(user, ids)
    outcomes = []
    for ident in ids:
        submission = cases.get(ident)
        if submission is None:
            outcomes.append(Outcome(None, ident, False, "不存在，或您无权处理。"))
            continue
        savepoint = db.session.begin_nested()
        try:
            message = WORK[action](user, submission, options)
            savepoint.commit()
            outcomes.append(Outcome(submission, submission.id, True, message))
        except (ServiceError, WorkflowError, NotAllowed) as refused:
            savepoint.rollback()
            outcomes.append(Outcome(submission, submission.id, False, getattr(refused, "message", str(refused))))
        except (StaleDataError, IntegrityError):
            savepoint.rollback()
            outcomes.append(Outcome(submission, submission.id, False, "刚才已有他人处理了此件，本件未处理。"))
        except Exception:   # a fault of ours on one case: that case is undone and reported, the others go on
            log.exception("batch %s failed on submission %s", action, submission.id)
            savepoint.rollback()
            outcomes.append(Outcome(submission, submission.id, False, "处理时出错（已记入系统日志），本件未处理。"))
    return outcomes

