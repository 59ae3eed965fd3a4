"""gunicorn as production runs it: `gunicorn --config gunicorn.conf.py` (the Dockerfile's command).

Sync workers, one request at a time each; WEB_CONCURRENCY sets how many (about two per core).
"""

import os

wsgi_app = "probono.wsgi:application"
bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
# A worker silent for longer is killed and replaced; PostgreSQL's statement timeout
# (DB_STATEMENT_TIMEOUT, 20 s) cancels a runaway query before that, so readers get a 503 page.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Behind a load balancer that reuses its connections to gunicorn.
keepalive = 5
# No control socket (gunicorn 24+ opens one in $HOME): nothing here uses gunicornc, and
# several servers on one host would fight over the one path.
control_socket_disable = True

# Requests no browser sends are refused by gunicorn itself, before Django sees them. A finder
# link with every filter at its maximum stays well under 8 KiB.
limit_request_line = 8190
limit_request_fields = 50
limit_request_field_size = 8190

# One line per request on stdout, with the time it took in milliseconds; errors on stderr.
accesslog = "-"
errorlog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
