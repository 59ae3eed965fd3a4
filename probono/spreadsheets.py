"""What spreadsheets need of the CSV files the directory writes: formulas neutralised, and the
byte-order mark that tells Excel the file is UTF-8.

Excel and LibreOffice evaluate a cell that starts with = + - or @, their full-width forms
(＝ ＋ － ＠, which Japanese and Chinese input produces), after any spaces, tabs or line breaks,
and a cell that starts with a tab or a carriage return. A leading apostrophe makes the cell text,
and the spreadsheet shows it without the apostrophe. Leading apostrophes count, so that every
value survives an export and an import: "=1+1" <-> "'=1+1", "'=1+1" <-> "''=1+1", "'a" <-> "'a".
"""

import re

# Without it Excel reads the file as Windows-1252 and every accent comes out garbled
# ("europÃ©enne"); Python's "utf-8-sig", LibreOffice and pandas skip it.
BYTE_ORDER_MARK = "\ufeff"

FORMULA = re.compile(r"'*(?:[ \t\r\n]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n])")


def escape_formula(value):
    return "'" + value if FORMULA.match(value) else value


def unescape_formula(value):
    return value[1:] if value.startswith("'") and FORMULA.match(value, 1) else value
