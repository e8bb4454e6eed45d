"""WSGI entry point: `flask --app wsgi ...`, or gunicorn wsgi:app."""
from replyflow import create_app

app = create_app()
