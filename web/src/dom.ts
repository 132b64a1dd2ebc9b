/*
 * A tiny element builder: the explorer writes its DOM by hand, and never with innerHTML of data
 * (text from the API goes in as text nodes, so nothing in a dataset's title can become markup).
 */
type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | null | EventListener>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

export function append(parent: Node, children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the content of `parent`. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** A link inside the explorer: navigates without reloading the page. */
export function link(path: string, ...children: Child[]): HTMLAnchorElement {
  return h('a', { href: `/explore${path}`, 'data-internal': 'true' }, ...children);
}

/** The last segment of an IRI: what people call a type or an attribute. */
export function shortName(iri: string): string {
  return iri.replace(/^.*[/#]/, '');
}
