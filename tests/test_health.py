from replyflow import create_app


def test_healthz_ok(app):
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_healthz_reports_an_unreachable_database():
    broken = create_app("testing", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "error"
