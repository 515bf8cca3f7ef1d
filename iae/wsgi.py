import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iae.settings.production")
application = get_wsgi_application()

# Views imported, templates compiled, catalogues loaded when the worker starts, not by its first request, which
# would otherwise wait twice as long as the next ones.
from base.demarrage import preparer_le_worker  # noqa: E402

preparer_le_worker()
