"""gunicorn settings for production: `gunicorn wsgi:app` from this folder reads them.
Every value can be overridden by its REPLYFLOW_* environment variable or on the command line."""
import os

import gunicorn.http.wsgi

bind = os.environ.get("REPLYFLOW_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("REPLYFLOW_WORKERS", "3"))
threads = int(os.environ.get("REPLYFLOW_THREADS", "4"))
timeout = int(os.environ.get("REPLYFLOW_WORKER_TIMEOUT", "60"))
accesslog = os.environ.get("REPLYFLOW_ACCESS_LOG", "-")
# the Server header names no software version (等保: do not advertise what an attacker could look up)
gunicorn.http.wsgi.SERVER = "replyflow"
