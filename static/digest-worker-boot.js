// Starts the digest worker (src/bin/digest_worker.rs, which Trunk builds as
// digest-worker.js and digest-worker_bg.wasm). Jobs the page posts while the
// wasm loads are kept and handed over once it runs, not dropped.
"use strict";
const early = [];
self.onmessage = (e) => early.push(e);
importScripts("./digest-worker.js");
wasm_bindgen({ module_or_path: "./digest-worker_bg.wasm" }).then(
  () => early.forEach((e) => self.onmessage(e)),
  // The page hashes on its own when its worker cannot start.
  (err) => self.postMessage(["failed", String(err)]),
);
