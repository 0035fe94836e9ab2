// The dashboard's only way to the server: the public REST API with the
// bearer token the user signed in with. The token lives in sessionStorage
// (gone with the tab), never in a URL or a cookie.
const TOKEN_KEY = "achilles.token";

export class SignedOut extends Error {}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

// Listeners told when the server refuses the token (401): the app returns
// to the sign-in view.
const refusedListeners = [];
export function onRefused(listener) {
  refusedListeners.push(listener);
}

export function queryString(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

async function send(path, params, token = session.token()) {
  if (!token) throw new SignedOut("Not signed in");
  const response = await fetch(path + queryString(params), {
    headers: { Authorization: `Bearer ${token}`, Accept: "application/json" },
    cache: "no-store",
  });
  if (response.status === 401) {
    // Only the session that sent it ends: a late answer to a signed-out
    // user's request must not sign out the next one.
    if (token === session.token()) {
      session.signOut();
      for (const listener of refusedListeners) listener();
    }
    throw new SignedOut("The server refused the token");
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = await response.json();
      if (body && typeof body.error === "string") message = `${body.error} (${response.status})`;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiError(response.status, message);
  }
  return response;
}

export async function getJson(path, params) {
  return (await send(path, params)).json();
}

// Checks a token before keeping it: true when the server knows it (a key
// without the analytics permission is known: its views then say 403).
export async function tokenAccepted(token) {
  try {
    await send("/api/analytics/organizations", {}, token);
    return true;
  } catch (error) {
    if (error instanceof SignedOut) return false;
    if (error instanceof ApiError && error.status === 403) return true;
    throw error;
  }
}

// Downloads an export through fetch (it needs the Authorization header, so
// a plain link cannot), saving it under the server's file name.
export async function download(path, params, fallbackName) {
  const response = await send(path, params);
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const named = /filename="([^"]+)"/.exec(disposition);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = named ? named[1] : fallbackName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
