/**
 * RFC 4180 reading and writing for the fuzz generator and its money count, independent of
 * src/sources/csv.ts. A row ends at LF or CRLF outside quotes, whichever the line uses, so a
 * file with mixed line ends still has every row (what a reader must manage too).
 */
export type Row = string[];

/** Parses the whole text; a quote left open runs to the end of the text, as RFC 4180 says. */
export function parseCsv(text: string): Row[] {
  const rows: Row[] = [];
  let row: Row = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    row.push(field);
    field = '';
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else field += ch;
      i++;
      continue;
    }
    if (ch === '\n' || (ch === '\r' && text[i + 1] === '\n')) {
      endField();
      rows.push(row);
      row = [];
      i += ch === '\r' ? 2 : 1;
      continue;
    }
    if (ch === '"' && field === '') quoted = true;
    else if (ch === ',') endField();
    else field += ch;
    i++;
  }
  if (field !== '' || row.length > 0 || quoted) {
    endField();
    rows.push(row);
  }
  return rows;
}

function quoteField(f: string): string {
  return /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f;
}

/** Writes rows back; `eol` chooses each row's line end so line ends can be mixed. */
export function writeCsv(rows: Row[], eol: (index: number) => string = () => '\n'): string {
  return rows.map((r, i) => r.map(quoteField).join(',') + eol(i)).join('');
}
