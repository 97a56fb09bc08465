"""Where clips live: the "clips" storage alias (settings STORAGES), local disk by default and
S3-compatible storage when CLIP_STORAGE_BACKEND=s3; partial uploads in CLIP_UPLOAD_DIR, a local
folder that the web server and the worker share."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import Storage, storages


def clip_storage() -> Storage:
    return storages["clips"]


def storage_is_local() -> bool:
    """Whether the clips storage is a local folder (served with Range support) rather than a
    remote one (served by redirecting to a short-lived signed URL)."""
    try:
        clip_storage().path("x")
    except NotImplementedError:
        return False
    return True


def upload_dir() -> Path:
    path = Path(settings.CLIP_UPLOAD_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def part_path(upload_key) -> Path:
    """The partial upload of a clip (its random key, never its id)."""
    return upload_dir() / f"{upload_key}.part"
