"""Every byte the database holds, as text to search: each row of each table (history tables,
join tables and the job tables included), read with SQL rather than through the models so that
no table is missed, and each binary value also unpacked when it is a zip."""

from __future__ import annotations

import io
import zipfile

from django.db import connection


def _unpacked(value: bytes) -> str:
    text = value.decode("latin-1")
    if value.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(value)) as archive:
                text += "".join(
                    archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
                )
        except zipfile.BadZipFile:
            pass
    return text


def _text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return _unpacked(value)
    return str(value)


def stored_tables() -> dict[str, str]:
    """Each table's name and its rows as one text."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            found[table] = "\n".join(
                "\t".join(_text(value) for value in row) for row in cursor.fetchall()
            )
    return found


def tables_holding(texts) -> dict[str, list[str]]:
    """The tables that hold any of ``texts``, with the texts found in each."""
    return {
        table: hits
        for table, content in stored_tables().items()
        if (hits := [text for text in texts if text in content])
    }
