"""/mine: 我的提案 / 我的建议."""
from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from .. import permissions as perm
from ..inputs import page_number
from ..models import Submission
from ..paging import CappedPage
from . import queries

bp = Blueprint("mine", __name__, url_prefix="/mine")
PER_PAGE = 20
COUNT_CAP = 1000


@bp.get("")
@login_required
def index():
    perm.require(perm.has_own_cases(current_user))
    page = CappedPage(queries.own_cases(current_user.member), page_number(request.args), PER_PAGE, COUNT_CAP,
                      Submission.id)
    cases = [queries.my_case(current_user, s) for s in page.items]
    return render_template("mine/index.html", page=page, cases=cases, kind=current_user.member.kind_label)
