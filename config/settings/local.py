"""Development: `make run` and a coach trying the app on their own machine."""

from .base import *  # noqa: F403
from .base import env

# Off unless asked for (DJANGO_DEBUG=1): a missing page shows the app's own 404 page, as in
# production, not Django's debug page with every URL pattern.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])

# runserver serves static files only with DEBUG on; whitenoise (in MIDDLEWARE) serves them
# either way, straight from static/ and the apps (no collectstatic), edits seen at once.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
WHITENOISE_MAX_AGE = 0
