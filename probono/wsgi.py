"""The application gunicorn serves: production, so it refuses to run with DEBUG on.

`manage.py runserver` builds its own handler for developers (WSGI_APPLICATION is not set).
"""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")

if settings.DEBUG:
    raise ImproperlyConfigured(
        "DEBUG is on: error pages would show settings and code to anyone. "
        "Serve with DEBUG=false, or use `manage.py runserver` for development."
    )

application = get_wsgi_application()
