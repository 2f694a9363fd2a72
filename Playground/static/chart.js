// Calling the chart function: the raw image (output=image), the key as the x-functions-key
// header (never in the URL), a newer request cancelling the one in flight, and the service's
// JSON errors {"error": {"code", "message", "field"}} turned into ChartError.

import { queryString } from "./snippets.js";

const MEDIA_TYPES = {
  png: "image/png",
  svg: "image/svg+xml",
  pdf: "application/pdf",
  jpeg: "image/jpeg",
  jpg: "image/jpeg",
  webp: "image/webp",
};

export class ChartError extends Error {
  constructor(message, { status = 0, code = "", field = null } = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** The fetch arguments for a chart: params are [name, value] pairs; data null or {csv}. */
export function chartFetch({ chartUrl, params, data, key }, format) {
  const pairs = [...params.filter(([name]) => name !== "format" && name !== "output")];
  pairs.push(["format", format], ["output", "image"]);
  const headers = { Accept: `${MEDIA_TYPES[format] || "image/*"}, application/json;q=0.5` };
  if (key) headers["x-functions-key"] = key;
  const init = { method: data ? "POST" : "GET", headers, cache: "no-cache" };
  if (data) {
    headers["Content-Type"] = "text/csv";
    init.body = data.csv;
  }
  return { url: `${chartUrl}?${queryString(pairs)}`, init };
}

async function errorOf(answer) {
  let error = null;
  try {
    // an error answered as an image (the page asks for one) carries its JSON in this header
    const header = answer.headers.get("X-ScatterPlot-Error");
    error = header ? JSON.parse(header).error : (await answer.json()).error;
  } catch {
    // not JSON: the host's own answers (401, 404, 413, 414) have empty bodies
  }
  if (error && error.message) {
    return new ChartError(error.message, {
      status: answer.status,
      code: error.code,
      field: error.field || null,
    });
  }
  const known = {
    401: "The function needs its key: enter it under Function key.",
    404: "The chart function was not found at this address.",
    413: "The request is too large for the host.",
    414: "The request's URL is too long for the host.",
  };
  return new ChartError(known[answer.status] || `The service answered HTTP ${answer.status}.`, {
    status: answer.status,
    code: answer.status === 401 ? "Unauthorized" : "",
  });
}

/** Fetch one image: {blob, ms}; throws ChartError (or an AbortError when cancelled). */
export async function fetchChart(request, format, signal) {
  const { url, init } = chartFetch(request, format);
  const started = performance.now();
  let answer;
  try {
    answer = await fetch(url, { ...init, signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ChartError(`Could not reach the service: ${error.message}`);
  }
  if (!answer.ok) throw await errorOf(answer);
  const blob = await answer.blob();
  return { blob, ms: performance.now() - started };
}

/** Draws one chart at a time: a newer draw() aborts the request still in flight. */
export class Drawer {
  constructor() {
    this.controller = null;
  }

  async draw(request, format) {
    if (this.controller) this.controller.abort();
    const controller = new AbortController();
    this.controller = controller;
    try {
      return await fetchChart(request, format, controller.signal);
    } finally {
      if (this.controller === controller) this.controller = null;
    }
  }
}
