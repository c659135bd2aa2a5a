// CSV (RFC 4180: comma, CRLF-free "\n" lines, fields quoted when they hold a comma, quote or line
// break) with leading "# " comment lines for license and attribution, which pandas
// (`comment="#"`) and R (`comment.char="#"`) skip. A parser for the tests and for scripts.

export type CsvValue = string | number | boolean | null | undefined;

function field(v: CsvValue): string {
  if (v === null || v === undefined) return "";
  const s = typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : String(v);
  // A leading = + - @ would run as a formula in spreadsheets; quote-and-prefix neutralises it
  // (only for text: numbers like -1 stay numbers).
  const safe = typeof v === "string" && /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n#]/.test(safe) || safe !== safe.trim() ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Header comments, then the column row, then one row per record (values in column order). */
export function toCsv(columns: string[], rows: CsvValue[][], comments: string[] = []): string {
  const out: string[] = [];
  for (const c of comments) for (const line of c.split(/\r?\n/)) out.push(`# ${line}`);
  out.push(columns.map(field).join(","));
  for (const r of rows) {
    if (r.length !== columns.length) throw new Error(`CSV row has ${r.length} values, ${columns.length} columns`);
    out.push(r.map(field).join(","));
  }
  return out.join("\n") + "\n";
}

export type ParsedCsv = { comments: string[]; columns: string[]; rows: string[][] };

/** Parse what toCsv writes (and ordinary CSV): comment lines first, quoted fields with "" escapes. */
export function parseCsv(text: string): ParsedCsv {
  const comments: string[] = [];
  let pos = 0;
  while (text.startsWith("#", pos)) {
    const end = text.indexOf("\n", pos);
    const line = text.slice(pos, end < 0 ? text.length : end).replace(/\r$/, "");
    comments.push(line.replace(/^# ?/, ""));
    pos = end < 0 ? text.length : end + 1;
  }
  const records: string[][] = [];
  let row: string[] = [];
  let cur = "";
  let quoted = false;
  let any = false;
  for (let i = pos; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cur += '"';
          i++;
        } else quoted = false;
      } else cur += ch;
      continue;
    }
    if (ch === '"') {
      if (cur !== "") throw new Error(`CSV: quote inside an unquoted field in record ${records.length + 1}`);
      quoted = true;
      any = true;
    } else if (ch === ",") {
      row.push(cur);
      cur = "";
      any = true;
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      if (any || cur !== "") {
        row.push(cur);
        records.push(row);
      }
      row = [];
      cur = "";
      any = false;
    } else {
      cur += ch;
      any = true;
    }
  }
  if (quoted) throw new Error("CSV: a quoted field is never closed");
  if (any || cur !== "") {
    row.push(cur);
    records.push(row);
  }
  const [columns, ...rows] = records;
  if (!columns) throw new Error("CSV: no header row");
  rows.forEach((r, i) => {
    if (r.length !== columns.length) throw new Error(`CSV: record ${i + 2} has ${r.length} fields, the header ${columns.length}`);
  });
  return { comments, columns, rows };
}
