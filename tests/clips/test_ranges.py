"""HTTP Range parsing for serving clips: one range, 416 when it cannot be met, never an error."""

import pytest

from clips.ranges import ByteRange, Unsatisfiable, parse_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-", ByteRange(0, 999)),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=100-199", ByteRange(100, 199)),
        ("bytes=900-5000", ByteRange(900, 999)),  # past the end: cut to the end
        ("bytes=-100", ByteRange(900, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        ("items=0-10", None),  # another unit: ignored
        ("bytes=0-10,20-30", None),  # several ranges: the whole file
    ],
)
def test_a_single_range_is_read(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "header",
    [
        "bytes=1000-",
        "bytes=5000-6000",
        "bytes=200-100",
        "bytes=-0",
        "bytes=abc-def",
        "bytes=" + "9" * 19 + "-",  # absurd numbers: refused, never an overflow
        "bytes=--5",
    ],
)
def test_an_unsatisfiable_range_is_a_416(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1000)


def test_the_content_range_names_the_total():
    assert ByteRange(0, 99).content_range(1000) == "bytes 0-99/1000"
    assert ByteRange(0, 99).length == 100
