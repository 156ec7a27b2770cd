"""Reads an .xlsx file with openpyxl (a real reader, not ours) and prints every sheet as
JSON: its frozen cell and its rows of [type, value] cells — "n" number, "s" text, "d" date
(ISO), null for an empty cell."""
import json
import sys

import openpyxl


def cell(c):
    if c.value is None:
        return None
    if c.is_date:
        return ["d", c.value.date().isoformat()]
    if isinstance(c.value, (int, float)):
        return ["n", c.value]
    return ["s", str(c.value)]


book = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({
    ws.title: {"freeze": ws.freeze_panes, "rows": [[cell(c) for c in row] for row in ws.iter_rows()]}
    for ws in book.worksheets
}, ensure_ascii=False))
