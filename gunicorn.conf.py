"""gunicorn as production runs it: `gunicorn --config gunicorn.conf.py` (the Dockerfile's command).

WEB_CONCURRENCY worker processes (about two per core), each serving GUNICORN_THREADS requests at
a time. Production puts nginx in front (ops/nginx/probono.conf), which buffers requests and
responses: slow clients cost nginx a connection, never a worker (docs/operations.md: The front).
"""

import os

wsgi_app = "probono.wsgi:application"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Threads, not sync workers: a sync worker streaming an export does not report to the master,
# which kills it after GUNICORN_TIMEOUT and cuts the export off after its 200. A gthread
# worker's main loop keeps reporting while its threads serve, however long a stream lasts.
worker_class = "gthread"
# Four threads each, so that a few long exports leave room for short pages (slow-client drill:
# slowest page 0.1-0.3 s with 4, 4 s with 2). Short pages alone go faster with fewer: rendering
# is CPU under one GIL (load test, 2 workers on 2 cores: 1 thread ~65 req/s, 2 ~60, 4 ~44).
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# A worker whose main loop is silent for longer (stuck, not busy) is killed and replaced.
# PostgreSQL's statement timeout (DB_STATEMENT_TIMEOUT, 20 s) cancels a runaway query, so its
# reader gets a 503 page.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Idle keep-alive connections wait in the worker's main loop, not in a thread.
keepalive = 5
# No control socket (gunicorn 24+ opens one in $HOME): nothing here uses gunicornc, and
# several servers on one host would fight over the one path.
control_socket_disable = True

# Requests no browser sends are refused by gunicorn itself, before Django sees them. A finder
# link with every filter at its maximum stays well under 8 KiB.
limit_request_line = 8190
limit_request_fields = 50
limit_request_field_size = 8190

# One line per request on stdout, with the time it took in milliseconds and the request's id
# (probono/errors.py), as the site's own log lines and its 500 page give it; errors on stderr.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms %({x-request-id}o)s'
