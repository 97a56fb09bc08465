from core.checks import versioned_cache_is_shared

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": "redis://127.0.0.1:6379/11"}


def test_versioned_cache_on_a_per_process_cache_is_warned_about(settings):
    settings.VERSIONED_CACHE = True
    settings.CACHES = {**settings.CACHES, "default": LOCMEM}

    assert [w.id for w in versioned_cache_is_shared(None)] == ["core.W001"]


def test_versioned_cache_on_a_shared_cache_passes(settings):
    settings.VERSIONED_CACHE = True
    settings.CACHES = {**settings.CACHES, "default": REDIS}

    assert versioned_cache_is_shared(None) == []


def test_a_per_process_cache_without_versions_passes(settings):
    settings.VERSIONED_CACHE = False
    settings.CACHES = {**settings.CACHES, "default": LOCMEM}

    assert versioned_cache_is_shared(None) == []
