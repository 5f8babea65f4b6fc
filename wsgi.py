"""WSGI entry point: ``gunicorn -k gevent -w 1 wsgi:app`` (gunicorn patches its worker for
gevent before it imports this; no ``--preload``). Builds the app and subscribes to the live
events of the worker processes (Redis, or PostgreSQL's LISTEN without it)."""

from legends import create_app
from legends.realtime import listen

app = create_app()
listen(app)
