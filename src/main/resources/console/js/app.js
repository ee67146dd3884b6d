// The console's shell: the API key form, notices, and hash routes to the pages.

import {apiKey} from './api.js';
import {h, replace} from './dom.js';
import {modelsPage} from './pages/models.js';
import {predictPage} from './pages/predict.js';
import {datasetPage, datasetsPage} from './pages/datasets.js';
import {jobsPage, newJobPage} from './pages/jobs.js';
import {jobPage} from './pages/job.js';

const ROUTES = [
    {pattern: /^#\/models$/, nav: 'models', page: modelsPage},
    {pattern: /^#\/predict(?:\/([^/]+)\/([^/]+))?$/, nav: 'predict', page: predictPage},
    {pattern: /^#\/datasets$/, nav: 'datasets', page: datasetsPage},
    {pattern: /^#\/datasets\/([^/]+)$/, nav: 'datasets', page: datasetPage},
    {pattern: /^#\/jobs$/, nav: 'jobs', page: jobsPage},
    {pattern: /^#\/jobs\/new(?:\?dataset=([^&]+))?$/, nav: 'jobs', page: newJobPage},
    {pattern: /^#\/jobs\/([^/?]+)$/, nav: 'jobs', page: jobPage},
];

const view = document.getElementById('view');
const notice = document.getElementById('notice');
const authMessage = document.getElementById('auth-message');
let current = null;
let pendingNotice = null;

/** Shows a passing message (or an error's detail) above the page. */
export function notify(message, kind = 'info') {
    notice.hidden = false;
    notice.className = `banner ${kind}`;
    notice.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    replace(notice, message);
}

export function clearNotice() {
    notice.hidden = true;
    notice.replaceChildren();
}

/** Reports a failed call: its problem detail, never raw JSON. A 401 is shown by the key form instead. */
export function reportError(error) {
    if (error?.name === 'AbortError') {
        return;
    }
    if (error?.status === 401) {
        return;
    }
    notify(`${error?.status ? `Error ${error.status}: ` : ''}${error?.message ?? error}`, 'error');
}

/** Opens the page at {@code hash} (again, if it is open), then shows {@code message} on it. */
export function go(hash, message) {
    pendingNotice = message;
    if (location.hash === hash) {
        route();
    } else {
        location.hash = hash;
    }
}

async function route() {
    current?.abort();
    current = new AbortController();
    const hash = location.hash || '#/models';
    const match = ROUTES.map(r => ({r, m: r.pattern.exec(hash)})).find(x => x.m);
    document.querySelectorAll('[data-nav]').forEach(link => {
        if (match && link.dataset.nav === match.r.nav) {
            link.setAttribute('aria-current', 'page');
        } else {
            link.removeAttribute('aria-current');
        }
    });
    clearNotice();
    if (pendingNotice) {
        notify(pendingNotice);
        pendingNotice = null;
    }
    if (!match) {
        replace(view, h('h1', {}, 'Not found'), h('p', {}, 'No page at ', h('code', {}, hash), '. ',
            h('a', {href: '#/models'}, 'Go to the models.')));
        return;
    }
    const params = match.m.slice(1).map(p => p == null ? p : decodeURIComponent(p));
    replace(view, h('p', {class: 'loading'}, 'Loading…'));
    try {
        await match.r.page(view, params, current.signal);
    } catch (e) {
        if (e?.status === 401) {
            replace(view, h('p', {}, 'This page needs the API key: enter it at the top.'));
        }
        reportError(e);
    }
    if (!current.signal.aborted) {
        view.querySelector('h1')?.setAttribute('tabindex', '-1');
    }
}

function keyForm() {
    const form = document.getElementById('key-form');
    const input = document.getElementById('api-key');
    input.value = apiKey.get();
    form.addEventListener('submit', event => {
        event.preventDefault();
        apiKey.set(input.value.trim());
        authMessage.hidden = true;
        route();
    });
    document.getElementById('key-forget').addEventListener('click', () => {
        apiKey.set('');
        input.value = '';
        route();
    });
    window.addEventListener('lrnn:unauthorized', event => {
        authMessage.hidden = false;
        replace(authMessage, h('strong', {}, apiKey.get() ? 'The API key was refused. ' : 'This server needs an API key. '),
            'Enter the key (lrnn.security.api-key) in the field at the top and press “Use key”. ',
            h('span', {class: 'detail'}, `(401: ${event.detail.message})`));
    });
    window.addEventListener('lrnn:authorized', () => {
        authMessage.hidden = true;
    });
}

keyForm();
window.addEventListener('hashchange', () => {
    route().then(() => view.querySelector('h1')?.focus());
});
route();
