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
    client.post("/login", data={"username": "clerk_zx", "password": "demo12345"})
    print(f"{'page':<48} {'median ms':>10} {'max ms':>8}")
    for page in ["/", "/submissions", "/submissions?page=200", "/submissions?q=电梯", "/submissions?state=assigned",
                 "/submissions?overdue=1", "/submissions?sort=due", "/submissions/1"]:
        median, worst = timed(client, page)
        print(f"{page:<48} {median:>10.1f} {worst:>8.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
