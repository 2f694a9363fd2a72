// The options form, generated from the option descriptions of api.js: enum -> select,
// boolean -> checkbox, integer/number -> number input with its bounds, string -> text input,
// column option -> select of the data's header. Every control is labelled, has its help text
// and an error line tied to it with aria-describedby.

import { SECTIONS } from "./api.js";

const MARKER_NAMES = {
  o: "circle",
  ".": "point",
  ",": "pixel",
  s: "square",
  "^": "triangle up",
  v: "triangle down",
  "<": "triangle left",
  ">": "triangle right",
  D: "diamond",
  d: "thin diamond",
  x: "x",
  "+": "plus",
  "*": "star",
  p: "pentagon",
  h: "hexagon",
};

const SECTION_NOTES = {
  columns: "Load data to choose its columns.",
  generated: "Used when no data is loaded.",
};

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value);
  }
  if (text) node.textContent = text;
  return node;
}

function firstSentence(text) {
  const match = /^(.*?\.)(\s+\S|$)/s.exec(text);
  return match ? match[1] : text;
}

function shown(value) {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** The id of an option's control (option names may hold "-"). */
export function controlId(name) {
  return `opt-${name}`;
}

class Control {
  constructor(option) {
    this.option = option;
    this.id = controlId(option.name);
    this.wrapper = element("div", { class: "field", "data-option": option.name });
    this.help = element(
      "p",
      { class: "hint", id: `${this.id}-help` },
      firstSentence(option.description),
    );
    this.error = element("p", { class: "field-error", id: `${this.id}-error` });
    this.input = this.makeInput();
    this.input.id = this.id;
    this.input.name = option.name;
    this.input.setAttribute("aria-describedby", `${this.id}-help ${this.id}-error`);
    const label = element("label", { for: this.id });
    label.append(element("code", {}, option.name));
    if (option.kind === "boolean") {
      this.wrapper.classList.add("check");
      this.wrapper.append(this.input, label, this.help, this.error);
    } else {
      this.wrapper.append(label, this.input, this.help, this.error);
    }
  }

  makeInput() {
    const option = this.option;
    if (option.kind === "enum" || option.kind === "column") {
      const select = element("select");
      this.fillSelect(select, option.kind === "enum" ? option.values : []);
      return select;
    }
    if (option.kind === "boolean") return element("input", { type: "checkbox" });
    if (option.kind === "integer" || option.kind === "number") {
      return element("input", {
        type: "number",
        inputmode: option.kind === "integer" ? "numeric" : "decimal",
        step: option.kind === "integer" ? "1" : "any",
        min: option.minimum,
        max: option.maximum,
        placeholder: option.default !== undefined ? `default ${option.default}` : "",
        autocomplete: "off",
      });
    }
    return element("input", {
      type: "text",
      maxlength: option.maxLength,
      placeholder: option.default ? `default ${shown(option.default)}` : "",
      autocomplete: "off",
      spellcheck: "false",
    });
  }

  fillSelect(select, values) {
    const option = this.option;
    const previous = select.value;
    select.replaceChildren();
    let first = "default";
    if (option.kind === "column") {
      first =
        option.name === "x_column"
          ? "default (x)"
          : option.name === "y_column"
            ? "default (y)"
            : "none";
    } else if (option.default !== undefined) {
      first = `default (${this.valueLabel(option.default)})`;
    }
    select.append(element("option", { value: "" }, first));
    for (const value of values) select.append(element("option", { value }, this.valueLabel(value)));
    if (values.includes(previous)) select.value = previous;
  }

  valueLabel(value) {
    if (this.option.name === "marker" && MARKER_NAMES[value])
      return `${value} (${MARKER_NAMES[value]})`;
    return String(value);
  }

  /** The value to send, or null for the service's default. */
  read() {
    if (this.input.disabled) return null;
    if (this.option.kind === "boolean") {
      const fallback = this.option.default === true;
      return this.input.checked === fallback ? null : String(this.input.checked);
    }
    const value = this.input.value.trim();
    return value === "" ? null : value;
  }

  /** Whether the browser could not read a number from what was typed. */
  badInput() {
    return Boolean(this.input.validity && this.input.validity.badInput);
  }

  set(value) {
    if (this.option.kind === "boolean") this.input.checked = value === "true";
    else this.input.value = value;
  }

  reset() {
    if (this.option.kind === "boolean") this.input.checked = this.option.default === true;
    else this.input.value = "";
    this.clearError();
  }

  showError(message) {
    this.error.textContent = message;
    this.input.setAttribute("aria-invalid", "true");
    this.wrapper.classList.add("invalid");
  }

  clearError() {
    this.error.textContent = "";
    this.input.removeAttribute("aria-invalid");
    this.wrapper.classList.remove("invalid");
  }
}

/** The whole form: controls by option name, grouped in fieldsets. */
export class OptionsForm {
  constructor(container, options) {
    this.controls = new Map();
    this.fieldsets = new Map();
    container.replaceChildren();
    for (const section of SECTIONS) {
      const members = options.filter((option) => option.section === section.id);
      if (members.length === 0) continue;
      const fieldset = element("fieldset", { class: `section section-${section.id}` });
      fieldset.append(element("legend", {}, section.title));
      if (SECTION_NOTES[section.id]) {
        fieldset.append(element("p", { class: "hint section-note" }, SECTION_NOTES[section.id]));
      }
      const grid = element("div", { class: "fields" });
      for (const option of members) {
        const control = new Control(option);
        control.input.checked = option.kind === "boolean" && option.default === true;
        this.controls.set(option.name, control);
        grid.append(control.wrapper);
      }
      fieldset.append(grid);
      container.append(fieldset);
      this.fieldsets.set(section.id, fieldset);
    }
  }

  has(name) {
    return this.controls.has(name);
  }

  get(name) {
    return this.controls.get(name);
  }

  /** [name, value] pairs of every option that differs from the service's default. */
  values() {
    const pairs = [];
    for (const [name, control] of this.controls) {
      const value = control.read();
      if (value !== null) pairs.push([name, value]);
    }
    return pairs;
  }

  /** Names of number controls holding something that is not a number. */
  badNumbers() {
    return [...this.controls.values()]
      .filter((control) => control.badInput())
      .map((c) => c.option.name);
  }

  /** Column pickers, by option name. */
  columnControls() {
    return [...this.controls.values()].filter((control) => control.option.kind === "column");
  }

  /** Offer `columns` in every column picker; without data, the pickers are off. */
  setColumns(columns) {
    for (const control of this.columnControls()) control.fillSelect(control.input, columns);
    this.enableSection("columns", columns.length > 0);
    this.enableSection("generated", columns.length === 0);
  }

  enableSection(id, enabled) {
    const fieldset = this.fieldsets.get(id);
    if (!fieldset) return;
    fieldset.disabled = !enabled;
    const note = fieldset.querySelector(".section-note");
    if (note) note.hidden = enabled;
  }

  reset() {
    for (const control of this.controls.values()) control.reset();
  }

  clearErrors() {
    for (const control of this.controls.values()) control.clearError();
  }

  showError(name, message) {
    const control = this.controls.get(name);
    if (!control) return false;
    control.showError(message);
    return true;
  }
}
