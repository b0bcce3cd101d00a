import os

from django.core.wsgi import get_wsgi_application

from baocao.ops.startup import settle

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baocao.settings")
application = get_wsgi_application()
# Start-up's objects out of the collector's sight: a full collection no longer walks them on
# every heavy page (gunicorn loads this in each worker, or once before forking with --preload).
settle()
