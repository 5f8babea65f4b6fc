"""WSGI entry point: ``gunicorn wsgi:app``. Builds the app, nothing else."""

from legends import create_app

app = create_app()
