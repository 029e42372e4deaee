"""gunicorn's settings for the portal: `gunicorn -c deploy/gunicorn.conf.py wsgi:app` (deploy/systemd/gongfu.service).

The worker model, and why
-------------------------
The app is synchronous Flask with SQLAlchemy: a request holds one thread from start to end, and
most of its time is Python on the CPU (rendering templates, Whoosh searching and sorting). The GIL
lets one thread of a process run Python at a time, so threads would add no CPU; processes do.

- `sync` workers, one request each. nginx sits in front and buffers every request and response
  (deploy/nginx/gongfu.conf), so a slow client never holds a worker, which is the one weakness of
  sync workers; nor do they need keep-alive, as nginx keeps the clients' connections.
- `2 × cores + 1` workers: five on the two-core machine. Two keep both cores busy with Python;
  the others run while those wait on the database, the cache or the disk (PostgreSQL and Redis
  are across a socket). More would only queue on the same two cores and add memory: each worker
  holds about 190 MB once jieba's dictionary and the search indexes are open.
- Each worker opens its own search index readers and database pool (SQLAlchemy's default of 5
  connections, of which a sync worker uses one): five workers stay far below PostgreSQL's 100.
- `preload_app` stays off: each worker imports the app itself, so `systemctl reload gongfu`
  (SIGHUP) starts workers on new code while the old ones finish their requests.
- `max_requests` with jitter replaces each worker after a couple of thousand requests, so that
  memory a worker gains over time (caches of readers, fragmentation) is given back, never all
  workers at once.

GUNICORN_WORKERS and GUNICORN_BIND override the two values a machine may need to change.
With LOG_FORMAT=json (see app/ops/request_log.py) gunicorn's own lines are JSON too, and its access
log is off: the app writes one line per request with its request id.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # nginx's upstream in deploy/nginx/gongfu.conf
worker_class = "sync"
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
preload_app = False

# A request still running after `timeout` seconds is taken as hung and its worker restarted. The
# longest requests are spreadsheet imports and exports (seconds); a search index rebuilt on first
# use takes longer, which is why a new dictionary or schema is followed by `flask search rebuild`
# before the restart (README, Production).
timeout = 60
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
# The workers' heartbeat files on tmpfs: on a disk, a slow write could get a worker killed.
worker_tmp_dir = "/dev/shm"

# Only nginx, on this machine, may say which scheme the client used (the app also trusts
# TRUSTED_PROXIES=1 hop for the client's address and scheme, deploy/gongfu.env.example).
forwarded_allow_ips = "127.0.0.1"
proc_name = "gongfu"
# systemd starts, reloads and stops the server (deploy/systemd/gongfu.service): no control socket.
control_socket_disable = True

loglevel = "info"
errorlog = "-"
if os.environ.get("LOG_FORMAT") == "json":
    accesslog = None
    logconfig_dict = {
        "root": {"level": "INFO", "handlers": ["json"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
            "alembic": {"level": "WARNING"},  # its plugins announce themselves as each worker imports the app
        },
        "handlers": {"json": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "formatters": {"json": {"()": "app.ops.request_log.json_formatter"}},
    }
else:
    accesslog = "-"
