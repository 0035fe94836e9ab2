// Boots the dashboard: sign-in, the views behind the navigation, the shared
// filters and the exports.
import { ApiError, SignedOut, download, onRefused, session, tokenAccepted } from "./api_client.js";
import { element } from "./charts.js";
import { Filters } from "./filters.js";
import * as views from "./views.js";

const $ = (selector) => document.querySelector(selector);
const VIEWS = { overview: "Overview", techniques: "Techniques", breakdowns: "Breakdowns", executions: "Executions", defender: "Defender" };
const filters = new Filters($("#filters"));
let generation = 0;
let shown = "overview";

// An unknown hash (the skip link's #main) keeps the view shown.
function currentView() {
  const name = location.hash.slice(1);
  if (name in VIEWS) shown = name;
  return shown;
}

function status(text, isError = false) {
  const el = $("#status");
  el.textContent = text;
  el.classList.toggle("error", isError);
}

// Draws the current view; a slower answer to an older question is dropped.
// Focus inside the view (a sort button, Next) is given back after the redraw.
async function draw() {
  const name = currentView();
  const mine = ++generation;
  for (const view of Object.keys(VIEWS)) {
    $(`#view-${view}`).hidden = view !== name;
    const link = $(`a[href="#${view}"]`);
    if (view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const section = $(`#view-${name}`);
  const focused = section.contains(document.activeElement) ? document.activeElement.id : "";
  const problem = filters.problem();
  if (problem) {
    status(problem, true);
    return;
  }
  section.setAttribute("aria-busy", "true");
  status("Loading…");
  try {
    const target = document.createElement("div");
    await views[name](target, filters, draw);
    if (mine !== generation) return;
    section.replaceChildren(...target.childNodes);
    status(`${VIEWS[name]} updated.`);
    if (focused) {
      const usable = (el) => el && !el.disabled ? el : null;
      (usable(document.getElementById(focused)) ?? usable($("#page-previous")) ?? $("#main")).focus();
    }
  } catch (error) {
    if (mine !== generation || error instanceof SignedOut) return;
    const message = error instanceof ApiError ? `The server refused: ${error.message}` : `Could not load: ${error.message}`;
    // No numbers of other filters left under the new ones.
    section.replaceChildren(element("h2", { text: VIEWS[name] }), element("p", { class: "error", text: message }));
    status(message, true);
  } finally {
    if (mine === generation) section.removeAttribute("aria-busy");
  }
}

// Nothing of a session survives it: numbers, choices, table state, a draw
// still on its way.
function endSession(message) {
  session.signOut();
  generation++;
  filters.clear();
  views.resetExecutionState();
  for (const view of Object.keys(VIEWS)) $(`#view-${view}`).replaceChildren();
  status("");
  $("#app").hidden = true;
  $("#sign-in").hidden = false;
  $("#sign-in-error").textContent = message;
  $("#token").value = "";
  $("#token").focus();
}

async function showApp() {
  $("#sign-in").hidden = true;
  $("#app").hidden = false;
  $("#main").focus();
  try {
    if (!filters.loaded) await filters.loadChoices();
  } catch (error) {
    if (error instanceof SignedOut) return;
    status(`Could not load the filter choices: ${error.message}`, true);
  }
  await draw();
}

$("#sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const token = $("#token").value.trim();
  if (!token) return;
  $("#sign-in-error").textContent = "Checking…";
  try {
    if (!(await tokenAccepted(token))) {
      $("#sign-in-error").textContent = "The server did not accept this token.";
      $("#token").select();
      return;
    }
  } catch (error) {
    $("#sign-in-error").textContent = `Could not check the token: ${error.message}`;
    return;
  }
  session.signIn(token);
  $("#token").value = "";
  $("#sign-in-error").textContent = "";
  await showApp();
});

$("#sign-out").addEventListener("click", () => endSession("Signed out."));
onRefused(() => endSession("The server refused the session's token (401): sign in again."));

$(".skip").addEventListener("click", (event) => {
  event.preventDefault();
  $("#main").focus();
});

filters.onChange(() => {
  views.resetExecutionPaging();
  draw();
});
window.addEventListener("hashchange", () => {
  if (session.token()) draw();
});

async function exportFile(path, fallbackName) {
  const problem = filters.problem();
  if (problem) {
    status(problem, true);
    return;
  }
  status(`Preparing ${fallbackName}…`);
  try {
    await download(path, filters.params(), fallbackName);
    status(`Downloaded ${fallbackName}.`);
  } catch (error) {
    if (!(error instanceof SignedOut)) status(`Export failed: ${error.message}`, true);
  }
}
$("#export-layer").addEventListener("click", () => exportFile("/api/analytics/export/attack-navigator", "achilles-layer.json"));
$("#export-csv").addEventListener("click", () => exportFile("/api/analytics/export/executions.csv", "achilles-executions.csv"));

if (session.token()) showApp();
else endSession("");
