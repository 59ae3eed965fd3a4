#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "probono.settings")
    # manage.py is the developer's tool; production serves through wsgi.py, where DEBUG is off
    # unless set, and the Dockerfile sets DEBUG=false for its own manage.py commands.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
