"""Benchmark: the submission list and the dashboard over many cases. Prints figures; asserts nothing.

    .venv/bin/python benchmarks/submission_list.py [N]      (default N = 20000 synthetic cases)

Uses REPLYFLOW_DATABASE_URL when set (e.g. PostgreSQL), else a throw-away SQLite file.
"""
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade  # noqa: E402

from replyflow import create_app  # noqa: E402
from replyflow.extensions import db  # noqa: E402


def timed(client, url, runs=5):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(samples), max(samples)


def main(n):
    tmp = tempfile.mkdtemp()
    url = os.environ.get("REPLYFLOW_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    app = create_app(SQLALCHEMY_DATABASE_URI=url, WTF_CSRF_ENABLED=False)
    with app.app_context():
        upgrade()
        runner = app.test_cli_runner()
        start = time.perf_counter()
        result = runner.invoke(args=["demo", "--scale", str(n)])
        assert result.exit_code == 0, result.output
        print(f"demo + {n} synthetic cases loaded in {time.perf_counter() - start:.1f} s ({url.split(':')[0]})")
        db.session.remove()
    client = app.test_client()
    client.post("/login", data={"username": "clerk_zx", "password": "Demo-12345"})
    print(f"{'page':<48} {'median ms':>10} {'max ms':>8}")
    for page in ["/", "/submissions", "/submissions?page=200", "/submissions?q=电梯", "/submissions?q=294",
                 "/submissions?q=第0294号", "/submissions?state=assigned", "/submissions?overdue=1",
                 "/submissions?sort=due", "/submissions/1"]:
        median, worst = timed(client, page)
        print(f"{page:<48} {median:>10.1f} {worst:>8.1f}")
    # registering with the number left empty: the sitting's counter and the highest number in use
    with app.app_context():
        from replyflow.models import Category, Sitting

        sitting = db.session.scalars(db.select(Sitting).where(Sitting.name.like("基准测试会议%"))
                                     .order_by(Sitting.id.desc())).first()
        form = {"sitting_id": sitting.id, "kind": "proposal", "number": "", "title": "关于基准测试的建议",
                "content": "正文", "category_id": db.session.scalars(db.select(Category.id)).first(),
                "lead_name": "曹留俊", "submitted_on": sitting_day(sitting), "disclosure_wish": "public",
                "period": "recess"}
        sitting.active = True
        db.session.commit()
        db.session.remove()
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        response = client.post("/submissions/new", data=form)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 302, response.status_code
    print(f"{'POST /submissions/new (number given automatically)':<48} {statistics.median(samples):>10.1f} "
          f"{max(samples):>8.1f}")


def sitting_day(sitting):
    from replyflow.clock import today

    return today().isoformat()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
