// Data sets: upload a CSV (file picker or drag and drop), list, inspect the columns, delete.

import {api} from '../api.js';
import {encode, field, h, number, replace, table, time} from '../dom.js';
import {go, reportError} from '../app.js';

export async function datasetsPage(view, params, signal) {
    const datasets = await api.get('api/v1/datasets', {signal});
    replace(view, h('h1', {}, 'Data sets'), uploadForm(),
        datasets.length === 0 ? h('p', {}, 'No data set yet.') : table('Stored data sets, newest first',
            ['name', 'rows', 'columns', 'created', ''],
            datasets.map(d => [
                h('a', {href: `#/datasets/${encode(d.id)}`}, d.name ?? d.id),
                number(d.rows),
                d.columns.map(c => c.name).join(', '),
                time(d.createdAt),
                h('span', {class: 'actions'},
                    h('a', {class: 'button', href: `#/jobs/new?dataset=${encode(d.id)}`}, 'Train'),
                    deleteButton(d)),
            ]), {id: 'datasets'}));
}

export async function datasetPage(view, [id], signal) {
    const d = await api.get(`api/v1/datasets/${encode(id)}`, {signal});
    replace(view, h('h1', {}, `Data set ${d.name ?? d.id}`),
        h('dl', {},
            h('dt', {}, 'id'), h('dd', {}, h('code', {}, d.id)),
            h('dt', {}, 'rows'), h('dd', {}, number(d.rows)),
            h('dt', {}, 'digest'), h('dd', {}, h('code', {}, d.digest)),
            h('dt', {}, 'created'), h('dd', {}, time(d.createdAt))),
        table('Columns', ['name', 'kind', 'distinct values', 'first text cell'], d.columns.map(c => [
            c.name, c.numeric ? 'numeric' : 'text', c.distinct == null ? 'over 1024' : number(c.distinct), c.firstText ?? '–',
        ]), {id: 'columns'}),
        h('p', {class: 'actions'},
            h('a', {class: 'button', href: `#/jobs/new?dataset=${encode(d.id)}`}, 'Train a model on it'),
            deleteButton(d)));
}

function deleteButton(d) {
    return h('button', {type: 'button', class: 'danger', onclick: async () => {
        if (!confirm(`Delete the data set ${d.name ?? d.id}?`)) {
            return;
        }
        try {
            await api.delete(`api/v1/datasets/${encode(d.id)}`);
            go('#/datasets', `Deleted the data set ${d.name ?? d.id}.`);
        } catch (e) {
            reportError(e);
        }
    }}, 'Delete');
}

function uploadForm() {
    const file = h('input', {id: 'dataset-file', name: 'file', type: 'file', accept: '.csv,text/csv', required: true});
    const name = h('input', {id: 'dataset-name', name: 'name', autocomplete: 'off', placeholder: 'the file name'});
    const chosen = h('p', {class: 'hint', id: 'dataset-chosen'}, 'Or drop a CSV file here.');
    const zone = h('div', {class: 'drop-zone', id: 'drop-zone'}, field('CSV file with a header row', file), chosen);
    file.addEventListener('change', () => chosen.textContent = file.files[0] ? `Chosen: ${file.files[0].name}` : '');
    zone.addEventListener('dragover', event => {
        event.preventDefault();
        zone.classList.add('dragging');
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
    zone.addEventListener('drop', event => {
        event.preventDefault();
        zone.classList.remove('dragging');
        if (event.dataTransfer.files.length > 0) {
            file.files = event.dataTransfer.files;
            chosen.textContent = `Chosen: ${file.files[0].name}`;
        }
    });
    const form = h('form', {class: 'card', 'aria-labelledby': 'dataset-upload-title'},
        h('h2', {id: 'dataset-upload-title'}, 'Upload a CSV'),
        zone, field('Name', name, 'optional'),
        h('button', {type: 'submit', id: 'dataset-upload'}, 'Upload'));
    form.addEventListener('submit', async event => {
        event.preventDefault();
        const body = new FormData();
        body.append('file', file.files[0]);
        const query = name.value.trim() ? `?name=${encode(name.value.trim())}` : '';
        try {
            const d = await api.upload('POST', `api/v1/datasets${query}`, body);
            go(`#/datasets/${encode(d.id)}`, `Stored ${d.name ?? d.id}: ${d.rows} rows, ${d.columns.length} columns.`);
        } catch (e) {
            reportError(e);
        }
    });
    return form;
}
