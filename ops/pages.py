"""Print {path: [status, body]} as JSON for the paths given, rendered in-process."""

import json
import os
import sys

import django


def main(paths):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
    django.setup()
    from django.test import Client
    from django.test.utils import override_settings

    # Static URLs as in development: the drill compares data, not collected files.
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    client = Client()
    pages = {}
    with override_settings(STORAGES=storages):
        for path in paths:
            response = client.get(path)
            body = b"".join(response) if response.streaming else response.content
            pages[path] = [response.status_code, body.decode()]
    json.dump(pages, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
