// The shared filters every view reads: a time range (preset or custom
// dates), organisation, hosts, techniques, tests and result, turned into the
// API's query parameters (from, to, org, hostnames, techniques, tests, result).
import { getJson, session } from "./api_client.js";

// Preset → the `from` date-math, and the days the Defender correlation
// (which takes `days`, not dates) looks back.
const PRESETS = {
  "24h": { from: "now-24h", days: 1, interval: "hour" },
  "7d": { from: "now-7d", days: 7, interval: "day" },
  "30d": { from: "now-30d", days: 30, interval: "day" },
  "90d": { from: "now-90d", days: 90, interval: "day" },
  "365d": { from: "now-365d", days: 365, interval: "week" },
  // The API's default without from/to is 7 days: all time needs a from.
  all: { from: "1970-01-01", days: 36500, interval: "month" },
};

const selected = (select) => Array.from(select.selectedOptions, (o) => o.value).filter((v) => v !== "");

export class Filters {
  constructor(form) {
    this.form = form;
    this.listeners = [];
    this.loaded = false;
    form.addEventListener("change", (event) => {
      if (event.target.name === "range") this.showCustomDates();
      const els = form.elements;
      els.to.min = els.from.value;
      els.from.max = els.to.value;
      this.changed();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.changed();
    });
    form.querySelector("#filter-reset").addEventListener("click", () => {
      form.reset();
      this.showCustomDates();
      this.changed();
    });
    this.showCustomDates();
  }

  onChange(listener) {
    this.listeners.push(listener);
  }

  changed() {
    for (const listener of this.listeners) listener(this.params());
  }

  // Custom dates start as the last 30 days, so the views never fall back to
  // the API's 7-day default behind a "custom" label.
  showCustomDates() {
    const els = this.form.elements;
    const custom = els.range.value === "custom";
    for (const el of this.form.querySelectorAll(".custom-range")) el.hidden = !custom;
    if (custom && !els.from.value) {
      const day = (ms) => new Date(ms).toISOString().slice(0, 10);
      els.from.value = day(Date.now() - 30 * 86400000);
      if (!els.to.value) els.to.value = day(Date.now());
    }
  }

  // Why the filters cannot be asked as they stand, or null.
  problem() {
    const els = this.form.elements;
    if (els.range.value !== "custom") return null;
    if (!els.from.value) return "Choose a start date.";
    if (els.to.value && els.to.value < els.from.value) return "The end date is before the start date.";
    return null;
  }

  // Back to the defaults, with no choice left from the last user's data.
  clear() {
    this.form.reset();
    this.showCustomDates();
    for (const name of ["hostnames", "techniques", "tests"]) this.form.elements[name].replaceChildren();
    const org = this.form.elements.org;
    org.replaceChildren(org.options[0]);
    this.loaded = false;
  }

  // The choices come from the API, for every organisation the caller may see.
  async loadChoices() {
    const token = session.token();
    const [orgs, hosts, techniques, tests] = await Promise.all([
      getJson("/api/analytics/organizations"),
      getJson("/api/analytics/available-hostnames"),
      getJson("/api/analytics/available-techniques"),
      getJson("/api/analytics/available-tests"),
    ]);
    if (token !== session.token()) return;  // signed out meanwhile: another user's lists
    fill(this.form.elements.org, orgs.map((o) => [o.uuid, o.fullName && o.fullName !== o.uuid ? `${o.shortName} — ${o.fullName}` : o.shortName]), true);
    fill(this.form.elements.hostnames, hosts.map((h) => [h.value, `${h.label} (${h.count})`]));
    fill(this.form.elements.techniques, [...techniques].sort().map((t) => [t, t]));
    fill(this.form.elements.tests, [...tests].sort((a, b) => a.localeCompare(b)).map((t) => [t, t]));
    this.loaded = true;
  }

  preset() {
    return PRESETS[this.form.elements.range.value] ?? null;
  }

  // Query parameters of the analytics endpoints.
  params() {
    const els = this.form.elements;
    const p = {};
    const preset = this.preset();
    if (preset) {
      p.from = preset.from;
    } else {
      if (els.from.value) p.from = els.from.value;
      if (els.to.value) p.to = els.to.value;  // a date alone runs to the end of that day
    }
    if (els.org.value) p.org = els.org.value;
    const hostnames = selected(els.hostnames);
    if (hostnames.length) p.hostnames = hostnames;
    const techniques = selected(els.techniques);
    if (techniques.length) p.techniques = techniques;
    const tests = selected(els.tests);
    if (tests.length) p.tests = tests;
    if (els.result.value !== "all") p.result = els.result.value;
    return p;
  }

  // The trend's bucket size for the range.
  interval() {
    const preset = this.preset();
    if (preset) return preset.interval;
    const from = Date.parse(this.form.elements.from.value);
    const to = this.form.elements.to.value ? Date.parse(this.form.elements.to.value) : Date.now();
    const days = Number.isFinite(from) ? (to - from) / 86400000 : 365;
    return days <= 2 ? "hour" : days <= 120 ? "day" : "week";
  }

  // Days back for the Defender correlation endpoints.
  days() {
    const preset = this.preset();
    if (preset) return preset.days;
    const from = Date.parse(this.form.elements.from.value);
    if (!Number.isFinite(from)) return 36500;
    return Math.min(36500, Math.max(1, Math.ceil((Date.now() - from) / 86400000)));
  }
}

// A value with a comma cannot be asked for: the API splits lists on commas.
function fill(select, entries, keepFirst = false) {
  const kept = keepFirst ? [select.options[0]] : [];
  select.replaceChildren(...kept);
  for (const [value, label] of entries) if (!value.includes(",")) select.add(new Option(label, value));
}
