// The rest of Layerlab's code. `cargo xtask dist` keeps in the first wasm file
// only the functions a first load runs; every other function becomes a stub
// there, and its body moves to a second file named by
// <meta name="layerlab-rest" content="…">. That file is fetched and compiled
// once the page is on screen; a stub that runs before then loads it at once.
// Without the meta tag (development builds) every function is already here.

let primary = null;
let state = "idle"; // "idle" → "fetching" → "linked"

function restUrl() {
  const meta = document.querySelector('meta[name="layerlab-rest"]');
  return meta ? meta.content : null;
}

// Instantiating the second file writes its functions into the first file's
// table, where the stubs call them.
function link(module) {
  if (state === "linked") return;
  new WebAssembly.Instance(module, { primary });
  primary.__layerlab_rest_linked.value = 1;
  state = "linked";
  for (const [resolve] of linkWaiters.splice(0)) resolve();
}

// Who waits for the rest without starting its load (`split_linked`).
const linkWaiters = [];

export function split_init(exports) {
  primary = exports;
}

// Fetching and compiling the rest competes with drawing the first frame (on a
// two-core machine, for the same cores), so it waits until the browser reports
// the first contentful paint, or a few seconds where none is reported (a page
// opened in a background tab).
export function split_prefetch() {
  const types = (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes) || [];
  if (!types.includes("paint")) {
    fetchRest().catch(() => {});
    return;
  }
  const observer = new PerformanceObserver((list) => {
    if (list.getEntriesByName("first-contentful-paint").length > 0) {
      observer.disconnect();
      fetchRest().catch(() => {});
    }
  });
  observer.observe({ type: "paint", buffered: true });
  setTimeout(() => {
    observer.disconnect();
    fetchRest().catch(() => {});
  }, 3000);
}

// The load under way, if any: a command that waits for the rest awaits it.
let loading = null;

// A page that opens saved work or a link needs the rest before it can show
// them (the first paint replays nothing), so its download starts now, at low
// priority beside the first file's, rather than after the first paint.
const opensSavedWork = (() => {
  try {
    return (
      !/[?&]embed=1/.test(location.search) &&
      (location.hash.length > 1 || localStorage.getItem("layerlab.autosave") !== null)
    );
  } catch {
    return false;
  }
})();
let early = opensSavedWork && restUrl() ? compileRest(fetch(restUrl(), { priority: "low" })) : null;
early?.catch(() => {}); // Its failure is reported where it is awaited.

function compileRest(response) {
  return response
    .then((response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.arrayBuffer();
    })
    .then((bytes) => WebAssembly.compile(bytes));
}

function fetchRest() {
  const url = restUrl();
  if (!url || !primary) return Promise.resolve();
  if (state === "linked") return Promise.resolve();
  if (loading) return loading;
  state = "fetching";
  const compiled = early || compileRest(fetch(url));
  early = null;
  loading = compiled
    .then(link)
    .catch((error) => {
      if (state === "fetching") state = "idle";
      loading = null;
      for (const [, reject] of linkWaiters.splice(0)) reject(error);
      console.warn(`Layerlab will load ${url} when first needed: ${error}`);
      throw new Error(`${url}: ${error.message || error}`);
    });
  return loading;
}

// Whether every function is here (always, in a build that is not split).
export function split_ready() {
  return state === "linked" || !restUrl();
}

// Loads the rest without blocking the page: resolves once it is linked,
// rejects with what went wrong. The terminal awaits it before a command.
export function split_load() {
  return fetchRest();
}

// Resolves once the rest is linked, whoever loads it (the background fetch
// after the first paint, or a command that needs it first); rejects if that
// load fails. Starts nothing.
export function split_linked() {
  if (split_ready()) return Promise.resolve();
  return new Promise((resolve, reject) => linkWaiters.push([resolve, reject]));
}

// The load under way, if one is (null before the first paint starts it, and
// after it failed): an action waits for it rather than start one early.
export function split_pending() {
  // A page that opens saved work has its rest on the way from the start:
  // what the learner does waits for it, and so for their work to open,
  // rather than act on the empty page that stands in for it.
  if (early && state === "idle") fetchRest().catch(() => {});
  return state === "fetching" ? loading : null;
}

// Called by a stub whose body is not loaded yet: loads it synchronously.
// The terminal awaits `split_load` before a command, so this runs only for
// the app's other paths into code not loaded yet (a button, the editor).
export function layerlabLoadRest() {
  if (state === "linked") return;
  const url = restUrl();
  const request = new XMLHttpRequest();
  request.open("GET", url, false);
  request.overrideMimeType("text/plain; charset=x-user-defined");
  request.send();
  if (request.status !== 200) {
    throw new Error(`Layerlab could not load ${url} (HTTP ${request.status}): reload the page`);
  }
  const text = request.responseText;
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  link(new WebAssembly.Module(bytes));
}
