// layerlab-embed.js — turns a tutorial's `<pre data-layerlab>` blocks into
// "Run this" buttons for a Layerlab embedded on the same page.
//
//   <iframe id="lab" src="https://…/index.html?embed=1" title="Layerlab"></iframe>
//   <pre data-layerlab="lab">docker ps -s</pre>
//   <script src="https://…/layerlab-embed.js" defer></script>
//
// `data-layerlab` names the `<iframe>` by id; left empty, the nearest embed
// before the block (or else after it) runs it. Each line is typed in turn
// (a heredoc waits for its end). Under the button, an <output> tells what the
// last command did; the page is told too, with a `layerlab:result` event on
// the block (`event.detail` is the embed's reply). The messages are those of
// docs/embed.md; this file needs nothing else.
(() => {
  "use strict";

  const zh = (document.documentElement.lang || "").toLowerCase().startsWith("zh");
  const words = zh
    ? { run: "运行", running: "正在运行……", waiting: "等待 Layerlab 加载……", ok: "完成", failed: "失败，退出码", colon: "：", sep: "；", more: "命令尚未结束（heredoc 或引号未闭合）", commands: (n) => `${n} 条命令`, error: "Layerlab 拒绝了请求：" }
    : { run: "Run this", running: "Running…", waiting: "Waiting for Layerlab to load…", ok: "Done", failed: "Failed, exit status", colon: ": ", sep: "; ", more: "The command is not complete yet (an open heredoc or quote)", commands: (n) => (n === 1 ? "1 command" : `${n} commands`), error: "Layerlab refused the request:" };

  const embeds = () => Array.from(document.querySelectorAll("iframe")).filter((f) => /[?&]embed=1\b/.test(f.src));
  const frames = new Map(); // iframe → { ready, queue }
  const waiting = new Map(); // request id → { block, output }
  let next = 0;

  function frameFor(block) {
    const named = block.getAttribute("data-layerlab");
    if (named) return document.getElementById(named);
    const all = embeds();
    const before = all.filter((f) => f.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_FOLLOWING);
    const after = all.filter((f) => f.compareDocumentPosition(block) & Node.DOCUMENT_POSITION_PRECEDING);
    return before.length ? before[before.length - 1] : after[0] || null;
  }

  function state(frame) {
    if (!frames.has(frame)) frames.set(frame, { ready: false, queue: [] });
    return frames.get(frame);
  }

  function send(frame, message) {
    const s = state(frame);
    if (!s.ready) {
      s.queue.push(message);
      return;
    }
    frame.contentWindow.postMessage(message, new URL(frame.src, location.href).origin);
  }

  function show(output, text, ok) {
    output.textContent = text;
    output.classList.toggle("layerlab-failed", ok === false);
  }

  // What the block's commands did so far: a failure stays on show (the
  // later commands ran on without it), and a copy-up, a whiteout or a pull
  // is named, since that is what the block is there to show.
  const NOTABLE = ["copy-up", "copy-up-directory", "whiteout", "opaque", "downloaded", "step-layer", "image-created", "size"];

  function summary(asked, reply) {
    if (reply.type === "layerlab:error") return [words.error + (zh ? "" : " ") + reply.error, false];
    if (!reply.complete) return [words.more, null];
    asked.ran += 1;
    const notable = reply.events.find((e) => NOTABLE.includes(e.kind));
    if (notable) asked.notable = notable.text;
    if (!reply.ok && !asked.failed) {
      const why = reply.output.find((l) => /error|no such|not found|conflict/i.test(l)) || reply.output[0] || "";
      asked.failed = `✗ ${words.failed} ${reply.status}${words.colon}${reply.command}${why ? " — " + why : ""}`;
    }
    if (asked.failed) return [asked.failed, false];
    const count = asked.lines > 1 ? ` (${words.commands(asked.ran)})` : "";
    const note = asked.notable ? `${words.sep}${asked.notable}` : "";
    return [`✓ ${words.ok}${count}${words.colon}${reply.command}${note}`, true];
  }

  window.addEventListener("message", (event) => {
    const frame = embeds().find((f) => f.contentWindow === event.source);
    if (!frame || event.origin !== new URL(frame.src, location.href).origin) return;
    const reply = event.data;
    if (!reply || typeof reply.type !== "string") return;
    if (reply.type === "layerlab:ready") {
      const s = state(frame);
      s.ready = true;
      s.queue.splice(0).forEach((m) => send(frame, m));
      return;
    }
    const asked = waiting.get(reply.id);
    if (!asked) return;
    const [text, ok] = summary(asked, reply);
    show(asked.output, text, ok);
    asked.block.dispatchEvent(new CustomEvent("layerlab:result", { detail: reply, bubbles: true }));
  });

  for (const block of document.querySelectorAll("pre[data-layerlab]")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "layerlab-run";
    button.textContent = "▶ " + words.run;
    const output = document.createElement("output");
    output.className = "layerlab-output";
    output.setAttribute("aria-live", "polite");
    const bar = document.createElement("div");
    bar.className = "layerlab-bar";
    bar.append(button, output);
    block.after(bar);
    button.addEventListener("click", () => {
      const frame = frameFor(block);
      if (!frame) return;
      const id = `run-${++next}`;
      const command = block.textContent.trim();
      const lines = command.split("\n").filter((l) => l.trim()).length;
      waiting.set(id, { block, output, lines, ran: 0, failed: null, notable: null });
      show(output, state(frame).ready ? words.running : words.waiting, null);
      send(frame, { type: "layerlab:run", id, command });
    });
  }

  // An embed drawn before this script ran said `layerlab:ready` to no one: ask again.
  for (const frame of embeds()) {
    try {
      frame.contentWindow.postMessage({ type: "layerlab:ping" }, new URL(frame.src, location.href).origin);
    } catch (_) {
      // Not loaded yet: it will say ready itself.
    }
  }
})();
