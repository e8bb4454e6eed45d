"""/public/replies: the 公开 replies, for everyone, no login."""
from urllib.parse import quote

from flask import Blueprint, abort, current_app, render_template, request
from sqlalchemy import false

from ..documents.reply import body_parts, content_of, heading_level
from ..extensions import db
from ..inputs import bounded_int, kept_args, page_number
from ..models import Reply
from ..paging import CappedPage
from . import copies, queries

bp = Blueprint("public", __name__, url_prefix="/public")
PER_PAGE = 20
#: what the count shows at most (超过 500 篇)
COUNT_CAP = 500


def _reply_or_404(reply_id):
    """Any reply that is not public is not there, whatever exists under that number."""
    reply = queries.published(reply_id)
    if reply is None:
        abort(404)
    return reply


@bp.get("/replies")
def replies():
    args = request.args
    filters = dict(sitting_id=bounded_int(args.get("sitting")), department_id=bounded_int(args.get("department")),
                   year=bounded_int(args.get("year"), 1949, 2200), keyword=(args.get("q") or "").strip()[:60])
    refused = None
    try:
        query = queries.listing(dialect=db.engine.dialect.name, **filters)
    except queries.Refused as error:
        refused, query = str(error), queries.listing(**{**filters, "keyword": ""}).where(false())
    page = CappedPage(query, page_number(args), PER_PAGE, COUNT_CAP, Reply.id)
    sittings, departments, years = queries.choices()
    keep = kept_args(args)
    return render_template("public/list.html", page=page, args=args, keep=keep, refused=refused,
                           sittings=sittings, departments=departments, years=years, heading=queries.heading)


@bp.get("/replies/<int:reply_id>")
def reply(reply_id):
    reply = _reply_or_404(reply_id)
    content = content_of(reply)
    return render_template("public/show.html", reply=reply, c=content, heading=queries.heading(reply),
                           parts=body_parts(content.body), heading_level=heading_level)


@bp.get("/replies/<int:reply_id>.txt")
def reply_text(reply_id):
    reply = _reply_or_404(reply_id)
    return current_app.response_class(copies.plain_text(reply), mimetype="text/plain",
                                      headers=_attachment(reply, "txt"))


@bp.get("/replies/<int:reply_id>.html")
def reply_html(reply_id):
    reply = _reply_or_404(reply_id)
    return current_app.response_class(copies.html_fragment(reply), mimetype="text/html",
                                      headers=_attachment(reply, "html"))


def _attachment(reply, extension):
    name = f"{reply.doc_number or f'答复{reply.id}'}.{extension}"
    return {"Content-Disposition": f"attachment; filename=reply-{reply.id}.{extension}; filename*=UTF-8''{quote(name)}"}
