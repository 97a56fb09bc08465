"""HTTP Range requests (RFC 9110 section 14) for serving a clip from local storage: one range
(what browsers ask of a <video>), else the whole file. Only a valid range that cannot be met (it
starts at or past the end, or asks for an empty suffix) is a 416; a header that is not a valid
single byte range (another unit, several ranges, bad syntax, a last byte before the first, an
absurdly long header) is ignored and the whole file sent, and a range running past the end is
served up to the end, as the RFC says. Never an error."""

import re
from dataclasses import dataclass

# "bytes=START-END", "bytes=START-" or "bytes=-SUFFIX" (the unit is case-insensitive).
_RANGE_RE = re.compile(r"^(?:(\d+)-(\d*)|-(\d+))$")
# A longer header is no request a browser makes: ignored without reading its numbers.
MAX_HEADER_LENGTH = 200


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
    if not header or len(header) > MAX_HEADER_LENGTH:
        return None
    unit, _, spec = header.strip().partition("=")
    if unit.strip().lower() != "bytes":
        return None  # another unit: ignored (RFC 9110 section 14.2)
    match = _RANGE_RE.match(spec.replace(" ", ""))
    if match is None:
        return None  # several ranges or bad syntax: the whole file instead
    first, last, suffix = match.groups()
    if suffix is not None:
        length = int(suffix)
        if length == 0 or size <= 0:
            raise Unsatisfiable("empty suffix")
        return ByteRange(max(0, size - length), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None  # an invalid range-spec: ignored
    if start >= size:
        raise Unsatisfiable(header[:40])
    end = int(last) if last else size - 1
    return ByteRange(start, min(end, size - 1))
