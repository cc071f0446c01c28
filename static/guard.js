// The page-level message shown when Layerlab's code stops (a Rust panic, a
// wasm trap, or the rest of the code failing to load): what happened and a
// way back. After a trap the app's state cannot be trusted, so the page says
// so instead of letting every key fail in silence. It is made with the DOM
// alone (no inline style or handler: the page's security policy forbids
// them), in the page's language, since the app's own strings may be gone.

const TEXT = {
  en: {
    title: "Layerlab stopped working.",
    body: "Something went wrong inside Layerlab. Your work saved before this moment is kept in this browser; reload the page to get back to it.",
    reload: "Reload",
  },
  zh: {
    title: "Layerlab 已停止工作。",
    body: "Layerlab 内部出现了错误。在此之前保存的工作仍保留在此浏览器中；重新加载页面即可回到它。",
    reload: "重新加载",
  },
};

// Whether the message is up: from then on nothing is saved.
export function guard_stopped() {
  return document.getElementById("crash") !== null;
}

export function guard_show(detail) {
  if (document.getElementById("crash")) return;
  const lang = (document.documentElement.lang || "en").startsWith("zh") ? "zh" : "en";
  const text = TEXT[lang];
  const box = document.createElement("div");
  box.id = "crash";
  box.className = "crash";
  box.setAttribute("role", "alert");
  const title = document.createElement("strong");
  title.textContent = text.title;
  const body = document.createElement("p");
  body.textContent = text.body;
  const why = document.createElement("code");
  why.textContent = String(detail || "").slice(0, 400);
  const reload = document.createElement("button");
  reload.type = "button";
  reload.id = "crash-reload";
  reload.textContent = text.reload;
  reload.addEventListener("click", () => {
    // Without a permalink in the address, the autosave is what comes back.
    history.replaceState(null, "", location.pathname + location.search);
    location.reload();
  });
  box.append(title, body, why, reload);
  // The focus stays where it is: keys being typed must not press Reload.
  document.body.prepend(box);
}

function stopped(error) {
  return (
    error instanceof WebAssembly.RuntimeError ||
    (error instanceof Error && error.message.startsWith("Layerlab"))
  );
}

export function guard_watch() {
  window.addEventListener("error", (e) => {
    if (stopped(e.error)) guard_show(String(e.error));
  });
  window.addEventListener("unhandledrejection", (e) => {
    if (stopped(e.reason)) guard_show(String(e.reason));
  });
}
