// Tables from pasted or dropped text: CSV, TSV or JSON in, one CSV text out (what the page
// sends to the chart function as text/csv). A table is {columns: string[], rows: string[][]}.

export class TableError extends Error {}

const MAX_COLUMNS = 1000;

/** Which kind of text this is: "json", "tsv" or "csv" (by file name first, then by content). */
export function detectKind(text, name = "") {
  const lower = name.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".tsv") || lower.endsWith(".tab")) return "tsv";
  if (lower.endsWith(".csv")) return "csv";
  const start = text.trimStart()[0];
  if (start === "{" || start === "[") return "json";
  const firstLine = text.split(/\r?\n/, 1)[0];
  return firstLine.includes("\t") && !firstLine.includes(",") ? "tsv" : "csv";
}

/** Parse delimited text (RFC 4180 quoting) into rows of strings; blank lines are skipped. */
export function parseDelimited(text, delimiter) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  let i = 0;
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const endRow = () => {
    row.push(cell);
    if (row.length > 1 || row[0].trim() !== "") rows.push(row);
    row = [];
    cell = "";
  };
  while (i < body.length) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"') {
        if (body[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && cell === "") {
      quoted = true;
    } else if (ch === delimiter) {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      endRow();
      if (ch === "\r" && body[i + 1] === "\n") i += 1;
    } else {
      cell += ch;
    }
    i += 1;
  }
  if (quoted) throw new TableError("a quoted value is not closed");
  if (cell !== "" || row.length > 0) endRow();
  return rows;
}

function fromRows(rows) {
  if (rows.length === 0) throw new TableError("there is no header row");
  const columns = rows[0].map((name) => name.trim());
  if (columns.length > MAX_COLUMNS) throw new TableError(`more than ${MAX_COLUMNS} columns`);
  const seen = new Set();
  columns.forEach((name, index) => {
    if (name === "") throw new TableError(`column ${index + 1} of the header has no name`);
    if (seen.has(name)) throw new TableError(`the header names "${name}" twice`);
    seen.add(name);
  });
  const body = rows.slice(1);
  body.forEach((row, index) => {
    if (row.length !== columns.length) {
      throw new TableError(
        `row ${index + 2} has ${row.length} values; the header names ${columns.length} columns`,
      );
    }
  });
  if (body.length === 0) throw new TableError("there is a header but no rows");
  return { columns, rows: body };
}

function cellText(value) {
  if (value === null || value === undefined) return "";
  if (typeof value === "object") throw new TableError("a value is a list or an object");
  return String(value);
}

function fromJson(text) {
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new TableError(`not valid JSON: ${error.message}`);
  }
  if (Array.isArray(doc)) {
    // records: [{"day": 1, "rain": 3.2}, ...]
    if (!doc.every((item) => item && typeof item === "object" && !Array.isArray(item))) {
      throw new TableError("a JSON list must hold objects, one per row");
    }
    const columns = [];
    for (const item of doc) {
      for (const name of Object.keys(item)) if (!columns.includes(name)) columns.push(name);
    }
    return fromRows([columns, ...doc.map((item) => columns.map((name) => cellText(item[name])))]);
  }
  if (doc && typeof doc === "object") {
    // columns: {"day": [1, 2], "rain": [3.2, 0.4]}; other keys (options) are left out
    const columns = Object.keys(doc).filter((name) => Array.isArray(doc[name]));
    if (columns.length === 0) throw new TableError("the JSON object holds no list of values");
    const length = doc[columns[0]].length;
    const mismatch = columns.find((name) => doc[name].length !== length);
    if (mismatch) {
      throw new TableError(
        `"${mismatch}" has ${doc[mismatch].length} values, "${columns[0]}" ${length}`,
      );
    }
    const rows = Array.from({ length }, (_, i) => columns.map((name) => cellText(doc[name][i])));
    return fromRows([columns, ...rows]);
  }
  throw new TableError("JSON data must be a list of rows or an object of columns");
}

/** Parse text into a table; `name` (a file name) helps tell the kind. Throws TableError. */
export function parseTable(text, name = "") {
  const kind = detectKind(text, name);
  if (kind === "json") return { kind, ...fromJson(text) };
  return { kind, ...fromRows(parseDelimited(text, kind === "tsv" ? "\t" : ",")) };
}

function csvCell(value) {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The table as CSV with a header row, lines ending in \n. */
export function toCsv(table) {
  const lines = [table.columns, ...table.rows].map((row) => row.map(csvCell).join(","));
  return lines.join("\n") + "\n";
}

/** Whether every value of a column is a finite number. */
export function isNumericColumn(table, name) {
  const index = table.columns.indexOf(name);
  if (index < 0) return false;
  return table.rows.every((row) => {
    const value = row[index].trim();
    return value !== "" && Number.isFinite(Number(value));
  });
}

/** The values of one column. */
export function columnValues(table, name) {
  const index = table.columns.indexOf(name);
  return table.rows.map((row) => row[index].trim());
}
