#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
    if sys.argv[1:2] == ["runserver"]:
        os.environ.setdefault("BAOCAO_DEBUG", "1")  # the development server only; production is gunicorn
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
