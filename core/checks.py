"""System checks for the settings the page cache depends on (core.page_cache)."""

from django.conf import settings
from django.core.checks import Warning, register

PER_PROCESS = ("LocMemCache", "DummyCache")


@register()
def versioned_cache_is_shared(app_configs, **kwargs) -> list[Warning]:
    """Data versions must be seen by every process: with a per-process cache one worker's
    write would not reach another worker's cached pages."""
    backend = settings.CACHES["default"]["BACKEND"]
    if getattr(settings, "VERSIONED_CACHE", False) and backend.endswith(PER_PROCESS):
        return [
            Warning(
                "VERSIONED_CACHE is on with a per-process cache: pages cached by one process "
                "do not see writes made in another.",
                hint="Set CACHE_URL to a shared cache (redis://host:6379/1), or "
                "VERSIONED_CACHE=false. Only a single-process test run may ignore this.",
                id="core.W001",
            )
        ]
    return []
