"""Gunicorn's settings (read from the working directory, /app in the image).

The access log writes the path of each request, never its query string nor the referring page's URL: a search for
a salarié puts their name there (docs/rgpd.md). %(U)s is the path alone; gunicorn's default %(r)s would carry the
query string, and %(f)s the referrer with its own."""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'


def post_worker_init(worker):
    """Open the worker's connection to the task broker before its first request. The first task a worker sends
    (an upload's analysis, a PDF asked for) would otherwise pay for it, about a second that holds the worker, and
    every request queued behind it (the health check /sante/ included)."""
    from iae.celery import app

    if app.conf.task_always_eager:
        return
    try:
        with app.producer_or_acquire():
            pass
    except Exception:  # a broker still starting: the first task will connect, as before
        worker.log.warning("connexion au courtier des tâches non ouverte au démarrage", exc_info=True)
