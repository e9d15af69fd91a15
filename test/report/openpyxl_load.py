"""Opens each workbook given with openpyxl, a reader independent of exceljs, and fails on any
load error or on anything Excel would refuse: a sheet name over 31 characters or with []:*?/\\,
a cell over 32,767 characters, a formula over 8,192, a text literal in a formula over 255,
a control character other than tab/LF/CR. Prints one line per problem; exit 1 if any."""
import re
import sys
import warnings

import openpyxl

BAD_NAME = re.compile(r"[\[\]:*?/\\]")
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
LITERAL = re.compile(r'"((?:[^"]|"")*)"')


def problems_of(path):
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about print titles and the like; errors raise
        wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        if len(ws.title) > 31 or BAD_NAME.search(ws.title):
            out.append(f"{path}: sheet name {ws.title!r}")
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if not isinstance(v, str):
                    continue
                where = f"{path}: {ws.title}!{cell.coordinate}"
                if v.startswith("=") and cell.data_type == "f":
                    if len(v) - 1 > 8192:
                        out.append(f"{where}: formula of {len(v) - 1} characters")
                    for lit in LITERAL.findall(v):
                        if len(lit.replace('""', '"')) > 255:
                            out.append(f"{where}: text literal of {len(lit)} characters in a formula")
                elif len(v) > 32767:
                    out.append(f"{where}: {len(v)} characters")
                if CONTROL.search(v):
                    out.append(f"{where}: control character")
    return out


def main(paths):
    found = []
    for p in paths:
        try:
            found += problems_of(p)
        except Exception as e:  # any load error is the finding
            found.append(f"{p}: cannot be read: {type(e).__name__}: {e}")
    for line in found:
        print(line)
    print(f"checked {len(paths)} workbook(s), {len(found)} problem(s)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
