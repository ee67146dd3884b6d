// Building elements without innerHTML: every value from the server is set as text, never parsed as HTML.

/** h('a', {href: '#/x', class: 'y', onclick: f}, 'text', child) */
export function h(tag, attributes = {}, ...children) {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
        if (value == null || value === false) {
            continue;
        }
        if (name.startsWith('on') && typeof value === 'function') {
            element.addEventListener(name.slice(2), value);
        } else if (name === 'dataset') {
            Object.assign(element.dataset, value);
        } else {
            element.setAttribute(name, value === true ? '' : String(value));
        }
    }
    append(element, children);
    return element;
}

export function append(element, children) {
    for (const child of children.flat(Infinity)) {
        if (child != null && child !== false) {
            element.append(child instanceof Node ? child : String(child));
        }
    }
    return element;
}

export function replace(element, ...children) {
    element.replaceChildren();
    return append(element, children);
}

/** A label and its control, tied by id. */
export function field(label, control, hint) {
    const hintElement = hint ? h('small', {id: control.id + '-hint', class: 'hint'}, hint) : null;
    if (hintElement) {
        control.setAttribute('aria-describedby', hintElement.id);
    }
    return h('div', {class: 'field'}, h('label', {for: control.id}, label), control, hintElement);
}

/** A table with a header row; rows are arrays of cells (text or elements). */
export function table(caption, headings, rows, attributes = {}) {
    return h('div', {class: 'table-scroll'}, h('table', attributes,
        caption ? h('caption', {}, caption) : null,
        h('thead', {}, h('tr', {}, headings.map(title => h('th', {scope: 'col'}, title)))),
        h('tbody', {}, rows.map(cells => h('tr', {}, cells.map(cell => h('td', {}, cell)))))));
}

export function number(value, digits = 4) {
    if (value == null) {
        return '–';
    }
    if (Number.isInteger(value)) {
        return value.toLocaleString('en');
    }
    return Math.abs(value) >= 1e-3 && Math.abs(value) < 1e6 ? value.toFixed(digits) : value.toExponential(2);
}

export function seconds(value) {
    if (value == null) {
        return '–';
    }
    const s = Math.round(value);
    return s < 60 ? `${s} s` : s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s`
        : `${Math.floor(s / 3600)} h ${Math.floor(s % 3600 / 60)} min`;
}

export function time(iso) {
    return iso ? new Date(iso).toLocaleString() : '–';
}

export function encode(segment) {
    return encodeURIComponent(segment);
}
