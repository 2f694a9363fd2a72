// The playground: data in, options from the API description, the chart redrawn as they change,
// downloads, and the request written out as curl, Python and an <img> tag.

import { loadApi } from "./api.js";
import { ChartError, Drawer, fetchChart } from "./chart.js";
import { OptionsForm, controlId } from "./controls.js";
import { loadKey, saveKey } from "./key.js";
import { INLINE_LIMIT, curlSnippet, extensionOf, imgSnippet, pythonSnippet } from "./snippets.js";
import { TableError, columnValues, isNumericColumn, parseTable, toCsv } from "./table.js";

const DRAW_DELAY_MS = 300;
const PARSE_DELAY_MS = 400;
const SHOWN_TEXT_LIMIT = 200_000; // characters of a file shown in the text box
const PREVIEW_ROWS = 5;
const DATA_FIELDS = new Set(["x", "y", "Inputs", "Inputs.input1", "GlobalParameters"]);

const $ = (id) => document.getElementById(id);

const state = {
  api: null, // {chartUrl, options}
  form: null, // OptionsForm
  table: null, // the parsed data, or null for the service's reference data
  fileName: "data.csv",
  imageUrl: null,
  imageSize: null,
  snippets: { curl: "", python: "", img: "" },
};
const drawer = new Drawer();

function formatOf(params) {
  const found = params.find(([name]) => name === "format");
  return found ? found[1] : "png";
}

/** The request as the form and the data describe it. */
function currentRequest() {
  const params = state.form ? state.form.values() : [];
  return {
    chartUrl: state.api.chartUrl.href,
    params,
    data: state.table ? { csv: toCsv(state.table), fileName: state.fileName } : null,
    key: $("key").value.trim(),
    hasKey: $("key").value.trim() !== "",
  };
}

// ---- errors -------------------------------------------------------------------------------

function clearErrors() {
  state.form?.clearErrors();
  for (const id of ["chart-error", "data-error", "key-error"]) $(id).replaceChildren();
  $("data-text").removeAttribute("aria-invalid");
  $("key").removeAttribute("aria-invalid");
}

function pointTo(id, label) {
  const link = document.createElement("a");
  link.href = `#${id}`;
  link.textContent = `Go to ${label}`;
  link.addEventListener("click", (event) => {
    event.preventDefault();
    $(id).focus();
  });
  return link;
}

/** Show an error next to the control its field names, and say where in the chart panel. */
function showError(error) {
  const summary = $("chart-error");
  const message = error.message;
  const field = error.field;
  if (error.status === 401) {
    $("key-error").textContent = message;
    $("key").setAttribute("aria-invalid", "true");
    summary.append(`${message} `, pointTo("key", "the key"));
    return;
  }
  if (field && state.form.has(field) && !state.form.get(field).input.matches(":disabled")) {
    state.form.showError(field, message);
    summary.append(`${field}: ${message} `, pointTo(controlId(field), field));
    return;
  }
  const pickers =
    field && state.table
      ? state.form.columnControls().filter((control) => control.read() === field)
      : [];
  if (pickers.length) {
    for (const picker of pickers) picker.showError(message);
    summary.append(`${message} `, pointTo(pickers[0].id, pickers[0].option.name));
    return;
  }
  const aboutData = DATA_FIELDS.has(field) || (field && state.table?.columns.includes(field));
  if (aboutData || ["InvalidData", "MalformedBody"].includes(error.code)) {
    $("data-error").textContent = message;
    $("data-text").setAttribute("aria-invalid", "true");
    summary.append(`${message} `, pointTo("data-text", "the data"));
    return;
  }
  summary.textContent = message;
}

// ---- drawing ------------------------------------------------------------------------------

function describeChart(params) {
  const get = (name) => (params.find(([n]) => n === name) || [])[1];
  const title = get("title");
  const x = get("x_column") || "x";
  const y = get("y_column") || "y";
  const group = get("group");
  let text = `Scatter chart of ${y} against ${x}`;
  if (group) text += `, grouped by ${group}`;
  if (!state.table) text += " (reference data)";
  return title ? `${text}, titled "${title}"` : text;
}

function updateSnippets(request, size) {
  const kinds = Object.fromEntries(state.api.options.map((option) => [option.name, option.kind]));
  state.snippets.curl = curlSnippet(request);
  state.snippets.python = pythonSnippet(request, kinds);
  const alt = describeChart(request.params);
  const img = imgSnippet({ ...request, xy: plainXY(request.params), size, alt });
  state.snippets.img = img.text || "";
  $("snippet-curl").textContent = state.snippets.curl;
  $("snippet-python").textContent = state.snippets.python;
  $("snippet-img").textContent = img.text || img.reason;
  document.querySelector('[data-copy="img"]').disabled = !img.text;
  const notes = [];
  if (request.data && request.data.csv.length > INLINE_LIMIT) {
    notes.push(`The data is written to ${state.fileName}: save it with "Download data as CSV".`);
  }
  if (request.hasKey) {
    notes.push(
      "curl and Python read the key from the SCATTERPLOT_KEY environment variable. An <img> " +
        "cannot send a header: a deployed function would need ?code=<key> in its URL, where " +
        "anyone who sees the page can read it.",
    );
  }
  $("request-note").textContent = notes.join(" ");
}

/** The data as x and y numbers when a URL can carry it (only x and y columns are used). */
function plainXY(params) {
  if (!state.table) return null;
  const names = new Map(params);
  const others = state.form
    .columnControls()
    .some((control) => !["x_column", "y_column"].includes(control.option.name) && control.read());
  const x = names.get("x_column") || "x";
  const y = names.get("y_column") || "y";
  if (others || !isNumericColumn(state.table, x) || !isNumericColumn(state.table, y)) return null;
  return { x: columnValues(state.table, x), y: columnValues(state.table, y), names: { x, y } };
}

// Progress for people (the status line) and for tests: body[data-draws] counts finished draws,
// body[data-busy] is "true" while data waits to be read or a draw waits or is in flight.
let parseTimer = null;
let drawTimer = null;
let inFlight = 0;
let draws = 0;

function updateBusy() {
  document.body.dataset.busy = String(parseTimer !== null || drawTimer !== null || inFlight > 0);
}

function finished() {
  draws += 1;
  document.body.dataset.draws = String(draws);
}

/** Redraw after the reader pauses: every change within DRAW_DELAY_MS makes one request. */
function redrawSoon() {
  clearTimeout(drawTimer);
  drawTimer = setTimeout(() => {
    drawTimer = null;
    redraw().finally(updateBusy);
  }, DRAW_DELAY_MS);
  updateBusy();
}

async function redraw() {
  if (!state.api) return;
  const request = currentRequest();
  const signature = JSON.stringify([request.params, request.data && request.data.csv, request.key]);
  if (signature === state.signature) return; // nothing changed since the last request
  state.signature = signature;
  updateSnippets(request, state.imageSize);
  const bad = state.form.badNumbers();
  clearErrors();
  if (bad.length) {
    for (const name of bad) state.form.showError(name, `${name} must be a number.`);
    $("chart-status").textContent =
      "Not drawn: a number field holds something that is not a number.";
    finished();
    return;
  }
  const format = formatOf(request.params);
  const previewFormat = format === "pdf" ? "png" : format; // a browser shows no PDF in an <img>
  $("chart-status").textContent = "Drawing…";
  $("chart").classList.add("stale");
  let result;
  inFlight += 1;
  try {
    result = await drawer.draw(request, previewFormat);
  } catch (error) {
    if (error.name === "AbortError") return; // a newer request took over
    if (!(error instanceof ChartError)) throw error;
    showError(error);
    const why = error.status ? ` (HTTP ${error.status}${error.code ? ` ${error.code}` : ""})` : "";
    $("chart-status").textContent = `Not drawn${why}.`;
    finished();
    return;
  } finally {
    inFlight -= 1;
  }
  await showImage(result, request, format, previewFormat);
  finished();
}

async function showImage(result, request, format, previewFormat) {
  const image = $("chart");
  const url = URL.createObjectURL(result.blob);
  const loaded = new Promise((resolve, reject) => {
    image.onload = resolve;
    image.onerror = () => reject(new Error("the browser could not show the image"));
  });
  image.src = url;
  image.alt = describeChart(request.params);
  try {
    await loaded;
  } catch (error) {
    $("chart-error").textContent = error.message;
    return;
  } finally {
    if (state.imageUrl) URL.revokeObjectURL(state.imageUrl);
    state.imageUrl = url;
  }
  image.classList.remove("stale");
  state.imageSize = previewFormat === "svg" ? null : [image.naturalWidth, image.naturalHeight];
  const kb = (result.blob.size / 1000).toFixed(1);
  const shownAs = format === previewFormat ? "" : ` (shown as ${previewFormat.toUpperCase()})`;
  const dims = `${image.naturalWidth} × ${image.naturalHeight}`;
  $("chart-status").textContent =
    `Drawn in ${Math.round(result.ms)} ms: ${format.toUpperCase()}${shownAs}, ${dims} px, ${kb} kB.`;
  $("chart-status").dataset.ms = String(Math.round(result.ms));
  updateSnippets(request, state.imageSize);
}

// ---- data ---------------------------------------------------------------------------------

function guessColumns(table) {
  const pickers = new Map(state.form.columnControls().map((c) => [c.option.name, c]));
  const x = pickers.get("x_column");
  const y = pickers.get("y_column");
  const lower = table.columns.map((name) => name.toLowerCase());
  const numeric = table.columns.filter((name) => isNumericColumn(table, name));
  if (x && !table.columns.includes(x.input.value)) {
    x.input.value = table.columns[lower.indexOf("x")] || numeric[0] || table.columns[0];
  }
  if (y && !table.columns.includes(y.input.value)) {
    const others = numeric.filter((name) => name !== (x ? x.input.value : ""));
    y.input.value = table.columns[lower.indexOf("y")] || others[0] || table.columns[1] || "";
  }
}

function renderPreview(table) {
  const box = $("data-preview");
  box.replaceChildren();
  if (!table) return;
  const element = document.createElement("table");
  const caption = document.createElement("caption");
  caption.textContent = `First ${Math.min(PREVIEW_ROWS, table.rows.length)} of ${table.rows.length} rows`;
  const head = document.createElement("tr");
  for (const name of table.columns) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = name;
    head.append(cell);
  }
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  for (const row of table.rows.slice(0, PREVIEW_ROWS)) {
    const line = document.createElement("tr");
    for (const value of row) {
      const cell = document.createElement("td");
      cell.textContent = value;
      line.append(cell);
    }
    tbody.append(line);
  }
  element.append(caption, thead, tbody);
  const scroller = document.createElement("div");
  scroller.className = "scroll";
  scroller.tabIndex = 0;
  scroller.setAttribute("role", "region");
  scroller.setAttribute("aria-label", "Data preview");
  scroller.append(element);
  box.append(scroller);
}

function setTable(table, sourceName) {
  state.table = table;
  // the data as sent is CSV: commands that read it from a file name it so
  const stem = sourceName.replace(/\.(csv|tsv|tab|json|txt)$/i, "");
  state.fileName = `${stem || "data"}.csv`;
  state.form.setColumns(table ? table.columns : []);
  if (table) guessColumns(table);
  renderPreview(table);
  $("save-data").disabled = !table;
  $("data-summary").textContent = table
    ? `${sourceName || "Pasted data"}: ${table.rows.length} rows, ${table.columns.length} columns (${table.columns.join(", ")}), read as ${table.kind.toUpperCase()}.`
    : 'Reference data: points generated by the service (set how many and a seed under "Generated data").';
  redrawSoon();
}

function useText(text, fileName) {
  clearErrors();
  if (text.trim() === "") {
    setTable(null, "");
    return;
  }
  try {
    setTable(parseTable(text, fileName), fileName);
  } catch (error) {
    if (!(error instanceof TableError)) throw error;
    $("data-error").textContent = `The data could not be read: ${error.message}.`;
    $("data-text").setAttribute("aria-invalid", "true");
    $("chart-status").textContent = "Not drawn: the data could not be read.";
    state.signature = null; // the next readable data redraws, even if it is the same as before
  }
}

async function useFile(file) {
  const text = await file.text();
  const box = $("data-text");
  if (text.length <= SHOWN_TEXT_LIMIT) {
    box.value = text;
    box.placeholder = "";
  } else {
    box.value = "";
    box.placeholder = `${file.name} (${(text.length / 1e6).toFixed(1)} MB) is too long to show here. Paste text to replace it.`;
  }
  useText(text, file.name);
}

function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// ---- wiring -------------------------------------------------------------------------------

function wireData() {
  const box = $("data-text");
  box.addEventListener("input", () => {
    clearTimeout(parseTimer);
    parseTimer = setTimeout(() => {
      parseTimer = null;
      useText(box.value, "");
      updateBusy();
    }, PARSE_DELAY_MS);
    updateBusy();
  });
  $("data-file").addEventListener("change", (event) => {
    const [file] = event.target.files;
    if (file) useFile(file);
  });
  const zone = $("dropzone");
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dragging");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dragging"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dragging");
    const [file] = event.dataTransfer.files;
    if (file) useFile(file);
  });
  $("use-example").addEventListener("click", async () => {
    const answer = await fetch("playground/example.csv");
    useFile(new File([await answer.text()], "example.csv", { type: "text/csv" }));
  });
  $("use-reference").addEventListener("click", () => {
    box.value = "";
    $("data-file").value = "";
    useText("", "");
  });
  $("save-data").addEventListener("click", () => {
    if (state.table) saveBlob(new Blob([toCsv(state.table)], { type: "text/csv" }), state.fileName);
  });
}

function wireKey() {
  const field = $("key");
  field.value = loadKey();
  $("key-form").addEventListener("submit", (event) => {
    event.preventDefault();
    saveKey(field.value.trim());
    redrawSoon();
  });
  field.addEventListener("change", () => {
    saveKey(field.value.trim());
    redrawSoon();
  });
  $("forget-key").addEventListener("click", () => {
    field.value = "";
    saveKey("");
    redrawSoon();
  });
}

function wireOutput() {
  for (const button of document.querySelectorAll("[data-download]")) {
    button.addEventListener("click", async () => {
      const format = button.dataset.download;
      clearErrors();
      $("chart-status").textContent = `Preparing the ${format.toUpperCase()}…`;
      try {
        const { blob, ms } = await fetchChart(currentRequest(), format);
        saveBlob(blob, `scatter.${extensionOf(format)}`);
        $("chart-status").textContent =
          `Saved scatter.${extensionOf(format)} (drawn in ${Math.round(ms)} ms).`;
      } catch (error) {
        if (!(error instanceof ChartError)) throw error;
        showError(error);
        $("chart-status").textContent = `The ${format.toUpperCase()} was not made.`;
      }
    });
  }
  for (const button of document.querySelectorAll("[data-copy]")) {
    button.addEventListener("click", async () => {
      const kind = button.dataset.copy;
      const text = state.snippets[kind];
      const status = $("copy-status");
      try {
        await navigator.clipboard.writeText(text);
        status.textContent = `Copied the ${kind === "img" ? "<img> tag" : kind} to the clipboard.`;
      } catch {
        const range = document.createRange();
        range.selectNodeContents($(`snippet-${kind}`));
        window.getSelection().removeAllRanges();
        window.getSelection().addRange(range);
        status.textContent = "The text is selected: press Ctrl+C (or ⌘C) to copy it.";
      }
    });
  }
}

async function start() {
  wireKey();
  wireData();
  wireOutput();
  try {
    state.api = await loadApi(new URL("openapi.json", document.baseURI));
  } catch (error) {
    $("chart-status").textContent = "";
    $("chart-error").textContent = `The page could not read the API description: ${error.message}.`;
    return;
  }
  state.form = new OptionsForm($("option-groups"), state.api.options);
  state.form.setColumns([]);
  const form = $("options");
  form.addEventListener("input", redrawSoon);
  form.addEventListener("change", redrawSoon);
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("reset", (event) => {
    event.preventDefault();
    state.form.reset();
    if (state.table) guessColumns(state.table);
    redrawSoon();
  });
  document.body.dataset.ready = "true";
  redrawSoon();
}

start();
