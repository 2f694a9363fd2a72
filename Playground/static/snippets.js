// The current request written out for other places: a curl command, Python for the client
// library (ScatterPlot(url, key=...).draw(data, x=..., y=..., **options)), and an HTML <img>
// whose URL carries the whole request when it fits. The function key never appears in them:
// curl and Python read it from the SCATTERPLOT_KEY environment variable.

export const INLINE_LIMIT = 4000; // characters of CSV written into a snippet; above: a file
export const URL_LIMIT = 4000; // path + query of an <img> URL (the host refuses above 4 KB)
const PYTHON_KEYWORDS = { x_column: "x", y_column: "y" };
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const IDENTIFIER = /^[A-Za-z_]\w*$/;

function shellQuote(text) {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** A query string of [name, value] pairs, percent-encoded (a space is %20, not +). */
export function queryString(pairs) {
  return pairs
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join("&");
}

export function extensionOf(format) {
  return format === "jpeg" ? "jpg" : format || "png";
}

function formatOf(pairs) {
  const found = pairs.find(([name]) => name === "format");
  return found ? found[1] : "png";
}

function withOutput(pairs) {
  return [...pairs.filter(([name]) => name !== "output"), ["output", "image"]];
}

/**
 * The curl command. `request` is {chartUrl, params, data, hasKey}: params are [name, value]
 * pairs, data is null (the service's reference data) or {csv, fileName}.
 */
export function curlSnippet({ chartUrl, params, data, hasKey }) {
  const url = `${chartUrl}?${queryString(withOutput(params))}`;
  const out = `scatter.${extensionOf(formatOf(params))}`;
  const lines = [data ? `curl -X POST ${shellQuote(url)}` : `curl ${shellQuote(url)}`];
  if (data) lines.push("-H 'Content-Type: text/csv'");
  if (hasKey) lines.push('-H "x-functions-key: $SCATTERPLOT_KEY"');
  lines.push(`-o ${out}`);
  if (data) {
    const inline = data.csv.length <= INLINE_LIMIT;
    lines.push(`--data-binary ${inline ? shellQuote(data.csv) : `@${shellQuote(data.fileName)}`}`);
  }
  return lines.join(" \\\n  ");
}

function pythonString(text) {
  return JSON.stringify(text); // JSON's escapes are all valid in a Python string literal
}

function pythonValue(value, kind) {
  if (kind === "boolean") return value === "true" ? "True" : "False";
  if ((kind === "integer" || kind === "number") && NUMBER.test(value)) return value;
  return pythonString(value);
}

function pythonBlock(text) {
  return `"""\\\n${text.replaceAll("\\", "\\\\").replaceAll('"""', '\\"\\"\\"')}"""`;
}

/** Python for the client library; `kinds` maps option names to their kind (api.js). */
export function pythonSnippet({ chartUrl, params, data, hasKey }, kinds = {}) {
  const imports = [];
  const lines = [];
  let dataArgument = "None";
  if (data && data.csv.length <= INLINE_LIMIT) {
    imports.push("import io");
    lines.push(`data = pd.read_csv(io.StringIO(${pythonBlock(data.csv)}))`);
    dataArgument = "data";
  } else if (data) {
    dataArgument = pythonString(data.fileName);
  }
  if (hasKey) imports.push("import os");
  const head = [...imports];
  if (imports.length) head.push("");
  if (data && dataArgument === "data") head.push("import pandas as pd");
  head.push("from client import ScatterPlot", "");
  const key = hasKey ? 'os.environ["SCATTERPLOT_KEY"]' : "None";
  const args = [dataArgument];
  const unusual = [];
  for (const [name, value] of params.filter(([n]) => n !== "output")) {
    const keyword = PYTHON_KEYWORDS[name] || name;
    const literal = pythonValue(value, kinds[name]);
    if (IDENTIFIER.test(keyword)) args.push(`${keyword}=${literal}`);
    else unusual.push(`${pythonString(keyword)}: ${literal}`);
  }
  if (unusual.length) args.push(`**{${unusual.join(", ")}}`);
  const start = `chart = ScatterPlot(${pythonString(chartUrl)}, key=${key}).draw(`;
  const oneLine = `${start}${args.join(", ")})`;
  const call =
    oneLine.length <= 88 ? oneLine : `${start}\n${args.map((arg) => `    ${arg},`).join("\n")}\n)`;
  const save = `chart.save("scatter.${extensionOf(formatOf(params))}")`;
  return [...head, ...lines, call, save].join("\n");
}

function escapeHtml(text) {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll('"', "&quot;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;");
}

/**
 * An <img> tag whose URL holds the whole request, or {text: null, reason} when it cannot:
 * a URL carries data only as x and y numbers, and only up to URL_LIMIT characters.
 * `xy` is null (no data) or {x: string[], y: string[], names: {x, y}} when the data is plain
 * numbers; the columns' names become the axis labels, as the service labels a table's axes.
 */
export function imgSnippet({ chartUrl, params, data, xy, size, alt }) {
  if (data && !xy) {
    return {
      text: null,
      reason:
        "A URL carries data only as x and y numbers, and this chart uses other columns or values that are not numbers.",
    };
  }
  const options = params.filter(([name]) => !name.endsWith("_column") && name !== "group");
  if (xy && xy.names) {
    const given = new Set(params.map(([name]) => name));
    for (const [option, column, plain] of [
      ["xlabel", xy.names.x, "x"],
      ["ylabel", xy.names.y, "y"],
    ]) {
      // a column's name is drawn as written: "$" escaped, so it never starts math
      if (!given.has(option) && column !== plain) {
        options.push([option, column.replaceAll("$", "\\$")]);
      }
    }
  }
  const query = xy
    ? `x=${xy.x.join(",")}&y=${xy.y.join(",")}&${queryString(withOutput(options))}`
    : queryString(withOutput(options));
  const url = new URL(`${chartUrl}?${query}`);
  const length = url.pathname.length + url.search.length;
  if (length > URL_LIMIT) {
    return {
      text: null,
      reason: `This request is ${length} characters as a URL; a URL may hold ${URL_LIMIT} (the host refuses longer ones).`,
    };
  }
  const dims = size ? ` width="${size[0]}" height="${size[1]}"` : "";
  return {
    text: `<img src="${escapeHtml(url.href)}"${dims} alt="${escapeHtml(alt)}">`,
    reason: null,
  };
}
