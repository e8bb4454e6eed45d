"""The zip of signed replies (/submissions/replies.zip): chosen in SQL exactly as permissions.can_view_reply
would choose them, refused above EXPORT_ZIP_LIMIT, streamed, in a number of statements that does not grow
with the number of replies."""
import io
import zipfile

import pytest
from sqlalchemy import event, select
from werkzeug.test import EnvironBuilder
from werkzeug.utils import send_file

from replyflow import clock
from replyflow import permissions as perm
from replyflow.documents import export
from replyflow.extensions import db
from replyflow.models import Reply
from replyflow.services import assignments as assignment_service
from replyflow.services import feedback as feedback_service
from replyflow.services import replies as reply_service
from replyflow.services import submissions as submission_service
from replyflow.submissions.queries import submission_query

from .conftest import flashes
from .factories import all_users, make_case


def sign(w, assignment, handler, signer, deliver=False):
    assignment_service.acknowledge(handler, assignment)
    data = reply_service.draft_defaults(handler, assignment)
    data.update(answer_class="A", body="答复正文。", signer_name=signer.name, handler_name=handler.name, phone="1")
    reply_service.save_draft(handler, assignment, data)
    reply_service.submit_for_signoff(handler, assignment)
    reply_service.sign_reply(signer, assignment)
    if deliver:
        reply_service.deliver_reply(handler, assignment)


@pytest.fixture
def cases(world):
    """Every way a reply may or may not be in the zip, for whom."""
    w = world
    c = dict(
        delivered=make_case(w, "delivered", number=294),            # the proposers see it too
        draft=make_case(w, "drafted", number=295),                  # not signed: nobody
        split=make_case(w, "signed", number=296, mode="split"),     # two files, named by department
        co=make_case(w, "signed", number=297, mode="co"),           # the 会办 department's staff see it
        npc=make_case(w, "delivered", number=54, sitting=w.npc),    # the other body's clerk only
        rehandled=make_case(w, "dissatisfied", number=298),         # its current reply is round 2's draft
    )
    feedback_service.order_rehandling(w.clerk, c["rehandled"].assignments[0], None, "请重新办理")
    # reassigned to 教育局, which signs: 人才办 no longer sees it
    moved = make_case(w, "assigned", number=299)
    assignment_service.request_adjustment(w.handler, moved.assignments[0], "不属于本单位职责")
    successor = assignment_service.grant_adjustment(w.clerk, moved.assignments[0], w.education, None, "改交教育局")
    sign(w, successor, w.edu_handler, w.edu_signer)
    c["moved"] = moved
    # merged into 0310, whose delivered reply the merged case's proposer (沈雅琴) receives
    host = make_case(w, "assigned", number=310)
    merged = make_case(w, number=301, lead=w.other_member_user.member, cosigners=[], title="关于吸引海外人才的建议")
    submission_service.merge(w.clerk, merged, "310")
    sign(w, host.assignments[0], w.handler, w.signer, deliver=True)
    c.update(host=host, merged=merged)
    db.session.commit()
    return c


def by_the_objects(user, args):
    """The replies the export chose before it was SQL: walking the ORM objects, asking permissions."""
    chosen = []
    for submission in db.session.scalars(submission_query(user, args)):
        for assignment in submission.answering_assignments:
            reply = assignment.current_reply
            if reply is not None and reply.signed_sha256 is not None and perm.can_view_reply(user, reply):
                chosen.append(reply.id)
    return chosen


@pytest.mark.parametrize("args", [{}, {"sort": "due"}, {"q": "人才"}, {"state": "assigned"}])
def test_the_sql_chooses_what_the_permissions_allow_for_everyone(world, cases, args):
    seen = {}
    for username, user in all_users(world).items():
        expected = by_the_objects(user, args)
        entries = export.zip_entries(user, submission_query(user, args))
        assert [reply_id for _, reply_id in entries] == expected, username
        assert export.count_signed_replies(user, submission_query(user, args)) == len(expected), username
        seen[user.username] = len(expected)
    if not args:  # the fixture does reach each kind of reader
        assert seen == {"admin": 0, "security": 0, "clerk_zx": 6, "clerk_rd": 1,
                        "luoyang": 6, "wuyin": 6, "both": 6, "zhanglei": 1, "liuwei": 1, "wangfang": 3,
                        "chenjun": 3, "guxiaoyan": 0, "qianjianhua": 0,
                        "caoliujun": 2, "fengjianguo": 2, "shenyaqin": 1, "chenshuyu": 1}


def names_and_bytes(response):
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    return {name: archive.read(name) for name in archive.namelist()}


def signed(submission, department=None):
    assignment = next(a for a in submission.assignments if a.answers and department in (None, a.department_id))
    return db.session.scalar(select(Reply.signed_docx).where(Reply.id == assignment.current_reply.id))


def test_the_zip_streams_the_right_names_and_bytes(world, cases, browser, app):
    w = world
    response = browser("clerk_zx").get("/submissions/replies.zip?q=第0296号")
    assert response.is_streamed and response.mimetype == "application/zip"
    with app.test_request_context():
        expected = send_file(io.BytesIO(b""), EnvironBuilder().get_environ(), as_attachment=True,
                             download_name=f"答复件_{clock.today():%Y%m%d}.zip").headers["Content-Disposition"]
    assert response.headers["Content-Disposition"] == expected
    assert "filename*=UTF-8''%E7%AD%94%E5%A4%8D%E4%BB%B6_" in expected
    assert response.headers["Cache-Control"] == "no-store"
    files = names_and_bytes(response)
    title = "关于对市政协十五届四次会议委员提案第0296号的答复"
    assert files == {f"第0296号_{title}_{w.talent.name}.docx": signed(cases["split"], w.talent.id),
                     f"第0296号_{title}_{w.education.name}.docx": signed(cases["split"], w.education.id)}
    # the member: the delivered replies of his own cases, nothing signed but not yet delivered
    files = names_and_bytes(browser("caoliujun").get("/submissions/replies.zip"))
    assert files == {"第0294号_关于对市政协十五届四次会议委员提案第0294号的答复.docx": signed(cases["delivered"]),
                     "第0310号_关于对市政协十五届四次会议委员提案第0310号的答复.docx": signed(cases["host"])}
    # 教育局's handler: the cases it answers, the 人才办 half of the split one too; not what it never had
    files = names_and_bytes(browser("wangfang").get("/submissions/replies.zip"))
    assert sorted(files) == sorted([f"第0296号_{title}_{w.talent.name}.docx",
                                    f"第0296号_{title}_{w.education.name}.docx",
                                    "第0299号_关于对市政协十五届四次会议委员提案第0299号的答复.docx"])
    # a department with no case: the message of an empty list
    handler = browser("guxiaoyan")
    page = handler.follow(handler.client.get("/submissions/replies.zip"))
    assert "所选范围内没有已签发的答复件。" in flashes(page)


def test_above_the_limit_a_message_and_no_zip(world, cases, browser, app, monkeypatch):
    monkeypatch.setitem(app.config, "EXPORT_ZIP_LIMIT", 5)
    clerk = browser("clerk_zx")
    response = clerk.client.get("/submissions/replies.zip?kind=proposal")
    assert response.status_code == 302 and "kind=proposal" in response.headers["Location"]
    assert response.headers.get("Content-Disposition") is None
    assert ("所选范围内有 6 份已签发的答复件，超过一次导出的上限 5 份。请按会议或承办单位筛选后分批导出。"
            in flashes(clerk.client.get(response.headers["Location"]).text))
    monkeypatch.setitem(app.config, "EXPORT_ZIP_LIMIT", 6)   # at the limit: the zip
    assert len(names_and_bytes(clerk.get("/submissions/replies.zip?kind=proposal"))) == 6


def test_thousands_are_written_with_a_separator(world, browser, app, monkeypatch):
    monkeypatch.setattr(export, "count_signed_replies", lambda user, submissions: 2315)
    monkeypatch.setitem(app.config, "EXPORT_ZIP_LIMIT", 2000)
    clerk = browser("clerk_zx")
    page = clerk.follow(clerk.client.get("/submissions/replies.zip"))
    assert "所选范围内有 2,315 份已签发的答复件，超过一次导出的上限 2,000 份。请按会议或承办单位筛选后分批导出。" in flashes(page)


def statements(app, client, url):
    """The SQL statements of one download, the streamed body included."""
    counted = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: counted.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        response = client.get(url)
        response.get_data()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert response.status_code == 200
    return len(counted), zipfile.ZipFile(io.BytesIO(response.data)).namelist()


def test_the_statements_do_not_grow_with_the_replies(world, browser, app):
    for number in range(400, 402):
        make_case(world, "signed", number=number)
    db.session.commit()
    clerk = browser("clerk_zx")
    few, names = statements(app, clerk.client, "/submissions/replies.zip")
    assert len(names) == 2
    for number in range(402, 408):
        make_case(world, "signed", number=number, mode="split")
    db.session.commit()
    many, names = statements(app, clerk.client, "/submissions/replies.zip")
    assert len(names) == 14
    assert many == few


def test_the_bytes_are_read_a_chunk_at_a_time(world, browser, app, monkeypatch):
    monkeypatch.setattr(export, "CHUNK", 2)
    for number in range(400, 405):
        make_case(world, "signed", number=number)
    db.session.commit()
    read = []
    original = export._read
    monkeypatch.setattr(export, "_read", lambda app, ids: read.append(len(ids)) or original(app, ids))
    files = names_and_bytes(browser("clerk_zx").get("/submissions/replies.zip"))
    assert len(files) == 5 and read == [2, 2, 1]
