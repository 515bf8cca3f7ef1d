"""Gunicorn's settings (read from the working directory, /app in the image).

The access log writes the path of each request, never its query string nor the referring page's URL: a search for
a salarié puts their name there (docs/rgpd.md). %(U)s is the path alone; gunicorn's default %(r)s would carry the
query string, and %(f)s the referrer with its own."""

access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'
