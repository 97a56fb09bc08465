"""HTTP Range parsing for serving clips (RFC 9110 section 14): one range; a valid range that
cannot be met is a 416; anything else is ignored (the whole file) or served up to the end."""

import pytest

from clips.ranges import MAX_HEADER_LENGTH, ByteRange, Unsatisfiable, parse_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-", ByteRange(0, 999)),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=100-199", ByteRange(100, 199)),
        ("Bytes=100-199", ByteRange(100, 199)),  # the unit is case-insensitive
        ("bytes=900-5000", ByteRange(900, 999)),  # past the end: cut to the end
        ("bytes=0-" + "9" * 30, ByteRange(0, 999)),  # a long last byte: what exists
        ("bytes=-100", ByteRange(900, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        ("bytes=-" + "9" * 30, ByteRange(0, 999)),
        ("items=0-10", None),  # another unit: ignored
        ("bytes=0-10,20-30", None),  # several ranges: the whole file
        ("bytes=200-100", None),  # last before first: an invalid range, ignored
        ("bytes=abc-def", None),  # malformed: ignored
        ("bytes=--5", None),
        ("bytes=", None),
        ("bytes=0-" + "9" * MAX_HEADER_LENGTH, None),  # an absurd header: ignored
    ],
)
def test_a_single_range_is_read_and_anything_else_ignored(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "header",
    [
        "bytes=1000-",
        "bytes=5000-6000",
        "bytes=-0",
        "bytes=" + "9" * 30 + "-",  # starts past the end, however far: never an overflow
    ],
)
def test_a_valid_range_that_cannot_be_met_is_a_416(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1000)


def test_an_empty_file_cannot_meet_a_suffix_range():
    with pytest.raises(Unsatisfiable):
        parse_range("bytes=-10", 0)


def test_the_content_range_names_the_total():
    assert ByteRange(0, 99).content_range(1000) == "bytes 0-99/1000"
    assert ByteRange(0, 99).length == 100
