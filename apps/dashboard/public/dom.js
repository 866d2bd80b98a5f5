// Every piece of text from the lab (component names, fault labels, SLO names, report titles) goes into the
// page through textContent or setAttribute: never parsed as HTML, so it cannot inject markup or script.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An element: h('td', { class: 'x', title: 'y', dataset: { id: 'z' } }, 'text', child, …). */
export function h(tag, props = {}, ...children) {
  return build(document.createElement(tag), props, children);
}

/** The same for SVG elements. */
export function s(tag, props = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), props, children);
}

function build(element, props, children) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'dataset') for (const [name, v] of Object.entries(value)) element.dataset[name] = String(v);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return element;
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren(...children.flat().filter((c) => c !== undefined && c !== null && c !== false));
}

/** Shows `text` in an element that says why a part is unavailable, or hides it. */
export function showUnavailable(element, text) {
  element.hidden = !text;
  element.textContent = text ?? '';
}
