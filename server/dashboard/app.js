// Boots the dashboard: sign-in, the views behind the navigation, the shared
// filters and the exports.
import { ApiError, SignedOut, download, onRefused, session, tokenAccepted } from "./api_client.js";
import { Filters } from "./filters.js";
import * as views from "./views.js";

const $ = (selector) => document.querySelector(selector);
const VIEWS = ["overview", "techniques", "breakdowns", "executions", "defender"];
const filters = new Filters($("#filters"));
let generation = 0;

function currentView() {
  const name = location.hash.slice(1);
  return VIEWS.includes(name) ? name : "overview";
}

function status(text, isError = false) {
  const el = $("#status");
  el.textContent = text;
  el.classList.toggle("error", isError);
}

// Draws the current view; a slower answer to an older question is dropped.
async function draw() {
  const name = currentView();
  const mine = ++generation;
  for (const view of VIEWS) {
    $(`#view-${view}`).hidden = view !== name;
    const link = $(`a[href="#${view}"]`);
    if (view === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const section = $(`#view-${name}`);
  section.setAttribute("aria-busy", "true");
  status("Loading…");
  try {
    const target = document.createElement("div");
    await views[name](target, filters, draw);
    if (mine !== generation) return;
    section.replaceChildren(...target.childNodes);
    status("");
  } catch (error) {
    if (mine !== generation || error instanceof SignedOut) return;
    status(error instanceof ApiError ? `The server refused: ${error.message}` : `Could not load: ${error.message}`, true);
  } finally {
    if (mine === generation) section.removeAttribute("aria-busy");
  }
}

function showSignIn(message = "") {
  $("#app").hidden = true;
  $("#sign-in").hidden = false;
  $("#sign-in-error").textContent = message;
  $("#token").value = "";
  $("#token").focus();
}

async function showApp() {
  $("#sign-in").hidden = true;
  $("#app").hidden = false;
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
      showSignIn("The server did not accept this token.");
      return;
    }
  } catch (error) {
    $("#sign-in-error").textContent = `Could not check the token: ${error.message}`;
    return;
  }
  session.signIn(token);
  await showApp();
});

$("#sign-out").addEventListener("click", () => {
  session.signOut();
  filters.loaded = false;
  showSignIn("Signed out.");
});

onRefused(() => {
  filters.loaded = false;
  showSignIn("The server refused the session's token (401): sign in again.");
});

filters.onChange(() => {
  views.resetExecutionPaging();
  draw();
});
window.addEventListener("hashchange", () => {
  if (session.token()) draw();
});

async function exportFile(path, fallbackName) {
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
else showSignIn();
