"""Reading the CSV and XLSX downloads of a list page back, as the tests of each export do."""

import csv
import io
import re

from openpyxl import load_workbook

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


def table(response) -> list[list[str]]:
    """The rows of a download, header first, every cell as text ("" for an empty cell)."""
    assert response.status_code == 200, response.status_code
    if response.mimetype == "text/csv":
        return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


def listed_ids(client, path: str, pattern: str) -> list[int]:
    """The ids of the records a search page lists, page after page, in its order."""
    found: list[int] = []
    page = 1
    while True:
        body = client.get(f"{path}&page={page}").get_data(as_text=True)
        ids = [int(i) for i in re.findall(pattern, body)]
        if not ids or ids[0] in found:  # past the last page
            return found
        found.extend(ids)
        page += 1
