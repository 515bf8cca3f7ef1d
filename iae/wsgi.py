import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "iae.settings.production")
application = get_wsgi_application()
# The URLconf imports every view (and what they import: the spreadsheet readers, the PDF writer's helpers): done
# when the worker starts, not by its first request, which would otherwise wait over a second.
get_resolver().check()
