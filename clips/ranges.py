"""HTTP Range requests (RFC 9110 section 14) for serving a clip from local storage: one range
(what browsers ask of a <video>), else the whole file. A header that cannot be met is a 416;
a header that makes no sense (several ranges, absurd numbers) is ignored and the whole file
sent. Never an error."""

import re
from dataclasses import dataclass

# "bytes=START-END", "bytes=START-" or "bytes=-SUFFIX"; at most 18 digits (below 10**18).
_RANGE_RE = re.compile(r"^bytes=(?:(\d{1,18})-(\d{0,18})|-(\d{1,18}))$")


class Unsatisfiable(Exception):
    """The range starts past the end of the file: answer 416 with ``bytes */size``."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The single range ``header`` asks of a file of ``size`` bytes; None to send it whole;
    Unsatisfiable for a 416."""
    if not header:
        return None
    header = header.strip()
    if not header.startswith("bytes="):
        return None  # another unit: ignored, as the RFC says
    match = _RANGE_RE.match(header.replace(" ", ""))
    if match is None:
        if "," in header:
            return None  # several ranges: the whole file instead
        raise Unsatisfiable(header[:40])
    first, last, suffix = match.groups()
    if size <= 0:
        raise Unsatisfiable("empty file")
    if suffix is not None:
        length = int(suffix)
        if length == 0:
            raise Unsatisfiable("empty suffix")
        return ByteRange(max(0, size - length), size - 1)
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        raise Unsatisfiable(header[:40])
    return ByteRange(start, min(end, size - 1))
