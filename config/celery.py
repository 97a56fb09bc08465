"""The Celery application. Tasks live in each app's tasks.py and are found by autodiscovery."""

import os

from celery import Celery
from kombu.transport import TRANSPORT_ALIASES

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

# `filesystem://` (the embedded default) means our transport, kombu's filesystem transport made
# safe for several processes (core/embedded_broker.py says why). kombu finds transports by
# this table; every process of the app (web, worker, beat) imports this module first.
TRANSPORT_ALIASES["filesystem"] = "core.embedded_broker:Transport"

app = Celery("coaching")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
