// Makes elements from a drawing written as JSON by `src/drawing.rs`:
// an element is [tag, [name, value, …], child, …], a child an element or a
// string. Strings only ever become text nodes and attribute values.
//
// Elements may carry a motion, played once they are made (never with
// prefers-reduced-motion: the drawing already shows where things end):
// data-fly="dx dy delay duration" comes from (dx, dy) to its place;
// data-flash="delay duration" shows for a moment, then fades;
// data-pass="dx dy delay duration" comes from (dx, dy) to its place, then fades
// away; data-leave="dx dy delay duration" goes from its place to (dx, dy),
// fading away. What passes or leaves is not in the end state: with
// prefers-reduced-motion it is not drawn at all.

const SVG = "http://www.w3.org/2000/svg";
const HTML = "http://www.w3.org/1999/xhtml";
const MOTIONS = ["fly", "flash", "pass", "leave"];

function make(node, ns, moving) {
  if (typeof node === "string") return document.createTextNode(node);
  const element = document.createElementNS(ns, node[0]);
  const attrs = node[1];
  for (let i = 0; i < attrs.length; i += 2) {
    element.setAttribute(attrs[i], attrs[i + 1]);
    if (attrs[i].startsWith("data-") && MOTIONS.includes(attrs[i].slice(5))) moving.push(element);
  }
  for (let i = 2; i < node.length; i++) element.appendChild(make(node[i], ns, moving));
  return element;
}

function move(element) {
  const fly = element.getAttribute("data-fly");
  if (fly) {
    const [dx, dy, delay, duration] = fly.split(" ").map(Number);
    element.animate(
      [
        { transform: `translate(${dx}px, ${dy}px)`, opacity: 0.35 },
        { transform: `translate(${dx}px, ${dy}px)`, opacity: 1, offset: 0.12 },
        { transform: "translate(0px, 0px)", opacity: 1 },
      ],
      { duration, delay, fill: "backwards", easing: "ease-in-out" },
    );
  }
  const flash = element.getAttribute("data-flash");
  if (flash) {
    const [delay, duration] = flash.split(" ").map(Number);
    element.animate([{ opacity: 0 }, { opacity: 1, offset: 0.2 }, { opacity: 0 }], { duration, delay, fill: "both" });
  }
  const pass = element.getAttribute("data-pass");
  if (pass) {
    const [dx, dy, delay, duration] = pass.split(" ").map(Number);
    element.animate(
      [
        { transform: `translate(${dx}px, ${dy}px)`, opacity: 1 },
        { transform: "translate(0px, 0px)", opacity: 1, offset: 0.75 },
        { transform: "translate(0px, 0px)", opacity: 0 },
      ],
      { duration, delay, fill: "both", easing: "ease-in-out" },
    );
  }
  const leave = element.getAttribute("data-leave");
  if (leave) {
    const [dx, dy, delay, duration] = leave.split(" ").map(Number);
    element.animate(
      [
        { transform: "translate(0px, 0px)", opacity: 1 },
        { transform: "translate(0px, 0px)", opacity: 1, offset: 0.3 },
        { transform: `translate(${dx}px, ${dy}px)`, opacity: 0 },
      ],
      { duration, delay, fill: "both", easing: "ease-in" },
    );
  }
}

// What passes or leaves, removed when nothing moves.
function still(element) {
  if (element.hasAttribute("data-pass") || element.hasAttribute("data-leave")) element.remove();
}

export function draw(json, svg) {
  const moving = [];
  const element = make(JSON.parse(json), svg ? SVG : HTML, moving);
  if (!moving.length) return element;
  if (matchMedia("(prefers-reduced-motion: reduce)").matches) moving.forEach(still);
  else moving.forEach(move);
  return element;
}
