"""The migrations alone: what a fresh install holds, and existing numbers carried into the new form."""
import os

from flask_migrate import upgrade
from sqlalchemy import text

from replyflow import create_app
from replyflow.extensions import db


def _app(tmp_path):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=f"sqlite:///{os.path.join(tmp_path, 'fresh.sqlite3')}")


def test_a_fresh_install_has_answer_classes_grounds_and_categories(tmp_path):
    app = _app(tmp_path)
    with app.app_context():
        upgrade()
        classes = db.session.execute(text("SELECT body, code, label FROM answer_class ORDER BY body, position")).all()
        assert [tuple(c) for c in classes] == [
            ("cppcc", "A", "所提问题已经解决或基本解决"), ("cppcc", "B", "所提问题正在解决或已列入计划逐步解决"),
            ("cppcc", "C", "所提问题因条件限制暂时不能解决"),
            ("npc", "A", "所提问题已经解决或者基本解决"), ("npc", "B", "所提问题正在解决或者列入规划逐步解决"),
            ("npc", "C", "所提问题因目前条件限制或者其他原因需待以后解决"), ("npc", "D", "所提问题留作参考")]
        grounds = db.session.scalars(text("SELECT name FROM rejection_ground ORDER BY position")).all()
        assert grounds[0] == "不属于本级职权范围" and len(grounds) == 6
        assert db.session.scalar(text("SELECT count(*) FROM category")) == 7
        db.session.remove()


def test_existing_numbers_become_text_with_value_and_sort_key(tmp_path):
    app = _app(tmp_path)
    with app.app_context():
        upgrade(revision="6ea37e7caa97")  # before real case numbers
        db.session.execute(text(
            "INSERT INTO sitting (id, body, name, year, reply_months, adjustment_days, rehandling_months, active) "
            "VALUES (1, 'cppcc', '市政协十五届四次会议', 2025, 3, 5, 1, 1), "
            "(2, 'npc', '市十六届人大五次会议', 2025, 3, 5, 1, 1)"))
        db.session.execute(text(
            "INSERT INTO submission (sitting_id, kind, number, title, content, submitted_on, is_key, disclosure_wish, "
            "state, created_at, updated_at) VALUES "
            "(1, 'proposal', 294, 't', 'c', '2025-01-10', 0, 'public', 'registered', '2025-01-10', '2025-01-10'),"
            "(1, 'proposal', 12, 't', 'c', '2025-01-10', 0, 'public', 'registered', '2025-01-10', '2025-01-10'),"
            "(2, 'suggestion', 78, 't', 'c', '2025-01-15', 0, 'public', 'registered', '2025-01-15', '2025-01-15')"))
        # the lists an earlier demo put in place: 人大 with the old wording, 政协 edited by the office
        db.session.execute(text(
            "INSERT INTO answer_class (body, code, label, position) VALUES "
            "('npc', 'A', '所提问题已经解决或基本解决', 0), ('npc', 'B', '正在解决或已列入计划逐步解决', 1), "
            "('npc', 'C', '因条件限制暂时不能解决', 2), ('cppcc', 'A', '本办自定的A类', 0)"))
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT number, number_seq, number_sort, period FROM submission ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [("0294", 294, "0000000294", "session"), ("0012", 12, "0000000012", "session"),
                                            ("0078", 78, "0000000078", "session")]
        sittings = db.session.execute(text("SELECT last_number, joint_salutation, number_width FROM sitting ORDER BY id"))
        assert [tuple(r) for r in sittings] == [(294, "lead_count", 4), (78, "each", 4)]
        classes = db.session.execute(text("SELECT body, code, label FROM answer_class ORDER BY body, position")).all()
        assert [tuple(c) for c in classes] == [  # the office's own list is kept; the untouched old one replaced
            ("cppcc", "A", "本办自定的A类"),
            ("npc", "A", "所提问题已经解决或者基本解决"), ("npc", "B", "所提问题正在解决或者列入规划逐步解决"),
            ("npc", "C", "所提问题因目前条件限制或者其他原因需待以后解决"), ("npc", "D", "所提问题留作参考")]
        db.session.remove()


def test_stored_files_move_from_the_database_to_the_storage_path_and_back(tmp_path):
    """Migration 0013 on a database that holds files: each is written to the storage path under its SHA-256
    and read back through the model; a downgrade puts the bytes back into the rows."""
    import hashlib

    from flask_migrate import downgrade

    from replyflow.models import Attachment

    app = _app(tmp_path)
    with app.app_context():
        upgrade(revision="c9e4a6b8d0f2")
        # rows as the tables were then (the models have moved on)
        db.session.execute(text(
            "INSERT INTO sitting (id, body, name, year, reply_months, adjustment_days, rehandling_months, active) "
            "VALUES (1, 'cppcc', '会议', 2025, 3, 5, 1, true)"))
        db.session.execute(text(
            "INSERT INTO submission (id, sitting_id, kind, title, content, submitted_on, is_key, disclosure_wish, state, "
            "created_at, updated_at) VALUES (1, 1, 'proposal', '题', '文', '2025-01-10', false, 'public', 'registered', "
            "'2025-01-10', '2025-01-10')"))
        db.session.execute(text("INSERT INTO attachment (id, submission_id, filename, content_type, size, data,"
                                " uploaded_at) VALUES (1, 1, '报告.pdf', 'application/pdf', 9, :data, '2025-01-10')"),
                           {"data": b"%PDF-1.4 x"})
        db.session.commit()
        upgrade()
        key = hashlib.sha256(b"%PDF-1.4 x").hexdigest()
        assert db.session.scalar(text("SELECT data_file FROM attachment")) == key
        assert (tmp_path / "fresh-files" / key[:2] / key).read_bytes() == b"%PDF-1.4 x"
        assert db.session.get(Attachment, 1).data == b"%PDF-1.4 x"
        db.session.remove()
        downgrade(revision="c9e4a6b8d0f2")
        assert db.session.scalar(text("SELECT data FROM attachment")) == b"%PDF-1.4 x"
        db.session.remove()


def test_cases_without_text_or_date_and_the_list_indexes_survive_0016_both_ways(tmp_path):
    """0016 rebuilds the submission table on SQLite: the list's expression indexes are made again, and a
    downgrade gives an imported case without text or date a value rather than failing."""
    from flask_migrate import downgrade

    app = _app(tmp_path)
    indexes = "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_submission_%order'"
    with app.app_context():
        upgrade()
        assert len(db.session.scalars(text(indexes)).all()) == 3
        db.session.execute(text(
            "INSERT INTO sitting (id, body, name, year, reply_months, adjustment_days, rehandling_months, active) "
            "VALUES (1, 'cppcc', '会议', 2025, 3, 5, 1, true)"))
        db.session.execute(text(
            "INSERT INTO submission (id, sitting_id, kind, title, is_key, disclosure_wish, state, created_at, "
            "updated_at) VALUES (1, 1, 'proposal', '题', false, 'public', 'registered', '2025-01-10 08:00', "
            "'2025-01-10 08:00')"))
        db.session.commit()
        downgrade(revision="f5b9d1e3a7c8")
        assert tuple(db.session.execute(text("SELECT content, submitted_on FROM submission")).one()) == (
            "", "2025-01-10")
        assert len(db.session.scalars(text(indexes)).all()) == 3
        upgrade()
        assert len(db.session.scalars(text(indexes)).all()) == 3
        db.session.remove()


def test_0017_counts_the_answers_given_before_it(tmp_path):
    """An answer delivered, rated and preceded by a contact before 0017 gets its statistics columns from its rows:
    the first delivery's day in China (17:00 UTC is the next morning there), contacted, the latest class and ratings;
    its timeliness unknown, the due date being the second round's."""
    app = _app(tmp_path)
    with app.app_context():
        upgrade(revision="a1c3e5f7b9d2")
        for statement in (
                "INSERT INTO sitting (id, body, name, year, reply_months, adjustment_days, rehandling_months, active) "
                "VALUES (1, 'cppcc', '会议', 2025, 3, 5, 1, true)",
                "INSERT INTO submission (id, sitting_id, kind, title, is_key, disclosure_wish, state, created_at, "
                "updated_at) VALUES (1, 1, 'proposal', '题', false, 'public', 'answered', '2025-01-10', '2025-01-10')",
                "INSERT INTO department (id, name, doc_prefix, header_title, active) VALUES (1, '局', '局', '局文件', true)",
                "INSERT INTO member (id, body, kind, name) VALUES (1, 'cppcc', 'person', '曹留俊')",
                "INSERT INTO assignment (id, submission_id, body, department_id, role, state, assigned_on, due_on, round, "
                "created_at) VALUES (1, 1, 'cppcc', 1, 'lead', 'closed', '2025-01-20', '2025-03-02', 2, '2025-01-20'), "
                "(2, 1, 'cppcc', 1, 'split', 'drafting', '2025-01-20', '2025-04-20', 1, '2025-01-20')",
                "INSERT INTO reply (id, assignment_id, round, answer_class, disclosure, title, salutation, body, created_at, "
                "delivered_at) VALUES (1, 1, 1, 'C', 'public', '', '', '', '2025-02-01', '2025-03-01 17:00:00'), "
                "(2, 1, 2, 'B', 'public', '', '', '', '2025-03-05', '2025-04-01 02:00:00')",
                "INSERT INTO feedback (reply_id, member_id, handling_rating, result_rating, created_at) VALUES "
                "(1, 1, 'dissatisfied', 'dissatisfied', '2025-03-03'), (2, 1, 'satisfied', 'basically_satisfied', "
                "'2025-04-02')",
                "INSERT INTO contact_record (assignment_id, contact_on, method, summary, created_at) VALUES "
                "(1, '2025-03-02', 'phone', '电话', '2025-03-02')"):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        rows = db.session.execute(text(
            "SELECT answered_on, answered_on_time, contacted_before_answer, answer_class, handling_rating, result_rating "
            "FROM assignment ORDER BY id")).all()
        assert [tuple(r) for r in rows] == [
            ("2025-03-02", None, 1, "B", "satisfied", "basically_satisfied"), (None, None, None, None, None, None)]
        db.session.remove()
