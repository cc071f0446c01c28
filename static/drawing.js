// Makes elements from a drawing written as JSON by `src/drawing.rs`:
// an element is [tag, [name, value, …], child, …], a child an element or a
// string. Strings only ever become text nodes and attribute values.

const SVG = "http://www.w3.org/2000/svg";
const HTML = "http://www.w3.org/1999/xhtml";

function make(node, ns) {
  if (typeof node === "string") return document.createTextNode(node);
  const element = document.createElementNS(ns, node[0]);
  const attrs = node[1];
  for (let i = 0; i < attrs.length; i += 2) element.setAttribute(attrs[i], attrs[i + 1]);
  for (let i = 2; i < node.length; i++) element.appendChild(make(node[i], ns));
  return element;
}

export function draw(json, svg) {
  return make(JSON.parse(json), svg ? SVG : HTML);
}
