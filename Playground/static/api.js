// The chart function's options, read from the service's own OpenAPI description, so the form
// always offers what the deployed API accepts: a new option appears here as soon as it is in
// the document.

/** Query parameters the page sets itself or that are not chart options. */
const NOT_FORM_CONTROLS = new Set(["x", "y", "output", "details", "code", "api-version"]);

/** Options whose value names a column of the data: they become pickers of the header. */
const COLUMN_OPTIONS = new Set(["x_column", "y_column", "group", "color_column", "size_column"]);

/** Enum values that are not image formats (format=swagger is an Azure ML answer shape). */
const NOT_IMAGE_FORMATS = new Set(["swagger"]);

/** The sections of the form, in order; an option not listed goes to the last one. */
export const SECTIONS = [
  {
    id: "columns",
    title: "Columns",
    names: ["x_column", "y_column", "group", "color_column", "size_column"],
  },
  { id: "generated", title: "Generated data", names: ["n", "seed"] },
  { id: "text", title: "Text", names: ["title", "xlabel", "ylabel"] },
  { id: "markers", title: "Markers", names: ["color", "size", "alpha", "marker"] },
  {
    id: "axes",
    title: "Axes",
    names: ["xscale", "yscale", "xmin", "xmax", "ymin", "ymax", "grid", "xtick_format", "ytick_format"],
  },
  { id: "looks", title: "Looks", names: ["theme", "background", "font_size", "layout"] },
  {
    id: "analysis",
    title: "Trend lines and density",
    names: ["trendline", "trendline_label", "kind", "gridsize", "bins", "log_counts"],
  },
  {
    id: "image",
    title: "Image",
    names: ["width", "height", "dpi", "scale", "transparent", "format", "quality"],
  },
  { id: "more", title: "More options", names: [] },
];

function sectionOf(name) {
  const found = SECTIONS.find((section) => section.names.includes(name));
  if (found) return found.id;
  return name.endsWith("_column") ? "columns" : "more";
}

function schemaType(schema) {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.find((type) => type && type !== "null") || "string";
}

/** One option as a form control description. */
export function describeOption(parameter) {
  const schema = parameter.schema || {};
  const name = parameter.name;
  const type = schemaType(schema);
  let kind = type === "integer" || type === "number" || type === "boolean" ? type : "string";
  if (Array.isArray(schema.enum)) kind = "enum";
  if (COLUMN_OPTIONS.has(name) || name.endsWith("_column")) kind = "column";
  const values = (schema.enum || []).filter(
    (value) => !(name === "format" && NOT_IMAGE_FORMATS.has(value)),
  );
  return {
    name,
    kind,
    section: sectionOf(name),
    values: values.map(String),
    default: schema.default,
    minimum: schema.minimum ?? schema.exclusiveMinimum,
    maximum: schema.maximum ?? schema.exclusiveMaximum,
    maxLength: schema.maxLength,
    description: parameter.description || "",
  };
}

/**
 * Fetch the description and return {chartUrl, options}: the chart function's URL (from the
 * document's server and path) and its query options as control descriptions.
 */
export async function loadApi(descriptionUrl, signal) {
  const answer = await fetch(descriptionUrl, { signal, headers: { Accept: "application/json" } });
  if (!answer.ok) throw new Error(`the API description answered HTTP ${answer.status}`);
  const doc = await answer.json();
  const path = Object.keys(doc.paths || {}).find((key) => key.toLowerCase() === "/scatterplot");
  if (!path) throw new Error("the API description has no /ScatterPlot path");
  const operation = doc.paths[path].get || doc.paths[path].post;
  const server = (doc.servers && doc.servers[0] && doc.servers[0].url) || "";
  const chartUrl = new URL(server.replace(/\/$/, "") + path, descriptionUrl);
  const options = (operation.parameters || [])
    .filter((parameter) => parameter.in === "query" && !NOT_FORM_CONTROLS.has(parameter.name))
    .map(describeOption);
  return { chartUrl, options };
}
