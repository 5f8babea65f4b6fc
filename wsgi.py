"""WSGI entry point: ``gunicorn -k gevent -w 1 wsgi:app`` (gunicorn patches its worker for
gevent before it imports this; no ``--preload``). Builds the app and subscribes to the live
events of the worker processes (Redis, or PostgreSQL's LISTEN without it)."""

from legends import create_app
from legends.realtime import listen
from legends.realtime.serving import freeze_heap

app = create_app()
listen(app)
# What the start built (modules, schemas, the app) lives as long as the worker: frozen out
# of the cycle collector, a full collection no longer walks it (a 100+ ms pause under load).
freeze_heap()
