import { h } from '../dom';

/** A plain data table with column headers; rows are cells already built. */
export function dataTable(id: string, headers: string[], rows: (Node | string)[][]): HTMLTableElement {
  return h('table', { id, class: 'data' },
    h('thead', {}, h('tr', {}, headers.map((header) => h('th', { scope: 'col' }, header)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell) => h('td', {}, cell))))),
  );
}

/** A section with a heading that labels it, and a status line for what its actions did. */
export function panel(id: string, title: string, ...content: (Node | null)[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-title`, class: 'panel' }, h('h2', { id: `${id}-title` }, title), ...content);
}
