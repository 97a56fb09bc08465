import csv
import io

from core.csv_export import csv_cell, csv_response, csv_streaming_response


def _parse(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_csv_response_is_an_attachment_with_the_header_and_rows():
    response = csv_response(
        filename="Coach figures: Prairie View", header=["coach", "caseload"], rows=[["Ana", 9]]
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="coach-figures-prairie-view.csv"'
    )
    assert _parse(response) == [["coach", "caseload"], ["Ana", "9"]]


def test_cells_a_spreadsheet_would_run_as_formulas_are_neutralised():
    response = csv_response(
        filename="x",
        header=["name"],
        rows=[['=HYPERLINK("http://evil")'], ["+1"], ["-2+3"], ["@SUM(A1)"], ["plain"]],
    )

    cells = [row[0] for row in _parse(response)[1:]]
    assert cells == ['\'=HYPERLINK("http://evil")', "'+1", "'-2+3", "'@SUM(A1)", "plain"]


def test_numbers_stay_numbers_and_empty_values_are_blank():
    assert csv_cell(-3) == -3
    assert csv_cell(0.5) == 0.5
    assert csv_cell(None) == ""
    assert csv_cell(True) == "yes"


def test_streaming_csv_is_the_same_file_sent_row_by_row():
    header = ["name", "n"]
    rows = [['=HYPERLINK("http://evil")'], ["+1", 2], ['Zoë, "quoted"\nline', None], [True, 0.5]]
    taken = []

    def lazy():
        for row in rows:
            taken.append(row)
            yield row

    streamed = csv_streaming_response(filename="Cycles: June", header=header, rows=lazy())

    assert streamed.streaming and taken == []  # nothing read before the response is sent
    assert streamed["Content-Type"] == "text/csv; charset=utf-8"
    assert streamed["Content-Disposition"] == 'attachment; filename="cycles-june.csv"'
    whole = csv_response(filename="Cycles: June", header=header, rows=rows)
    assert streamed.getvalue() == whole.content
    assert _parse(whole)[1:] == [
        ['\'=HYPERLINK("http://evil")'],
        ["'+1", "2"],
        ['Zoë, "quoted"\nline', ""],
        ["yes", "0.5"],
    ]
