// Models: every version with its task, inputs, outputs, architecture, size and provenance;
// choose the default, delete a version, upload one; its labels and traffic split.

import {api} from '../api.js';
import {encode, field, h, number, replace, table, time} from '../dom.js';
import {go, reportError} from '../app.js';

export async function modelsPage(view, params, signal) {
    const models = await api.get('api/v1/models', {signal});
    replace(view,
        h('h1', {}, 'Models'),
        models.length === 0 ? h('p', {}, 'No model yet: upload a version below or ', h('a', {href: '#/jobs/new'}, 'train one'), '.') : null,
        models.map(model => modelCard(model)),
        uploadForm(models));
}

function modelCard(model) {
    const labelsOf = version => Object.entries(model.labels ?? {}).filter(([, v]) => v === version)
        .map(([label]) => label).sort();
    return h('section', {class: 'card', 'aria-labelledby': `model-${model.name}`, dataset: {model: model.name}},
        h('h2', {id: `model-${model.name}`}, model.name),
        h('p', {}, 'Default version: ', h('strong', {}, model.defaultVersion ?? 'none')),
        table(null, ['version', 'task', 'inputs', 'outputs', 'parameters', 'loaded', ''],
            model.versions.map(version => [
                h('span', {}, version.version, version.isDefault ? h('span', {class: 'badge'}, 'default') : null,
                    version.readOnly ? h('span', {class: 'badge muted', title: 'from the model directory'}, 'read-only') : null,
                    labelsOf(version.version).map(label => h('span', {class: 'badge label', title: 'label'}, label))),
                version.task,
                version.inputs.join(', '),
                version.outputs.join(', '),
                number(version.parameterCount),
                time(version.loadedAt),
                actions(model, version),
            ])),
        labelsSection(model),
        model.versions.map(version => details(version)),
        model.notLoaded?.length ? h('div', {class: 'warning'}, h('h3', {}, 'Not loaded on this replica'),
            h('ul', {}, model.notLoaded.map(n => h('li', {}, `${n.version} (${n.source}): ${n.reason}`)))) : null);
}

/** Makes a change, then shows the models again with {@code message}; a refusal is shown as its detail. */
async function change(send, message) {
    try {
        await send();
        go('#/models', message);
    } catch (e) {
        reportError(e);
    }
}

function actions(model, version) {
    const path = `api/v1/models/${encode(model.name)}`;
    return h('span', {class: 'actions', dataset: {version: version.version}},
        h('a', {class: 'button', href: `#/predict/${encode(model.name)}/${encode(version.version)}`}, 'Predict'),
        version.isDefault ? null : h('button', {type: 'button', class: 'secondary', onclick: () => change(
            () => api.put(`${path}/default-version`, {version: version.version}),
            `${model.name} ${version.version} is now the default version.`)}, 'Make default'),
        version.readOnly ? null : h('button', {type: 'button', class: 'danger', onclick: () => {
            if (confirm(`Delete ${model.name} version ${version.version}? This cannot be undone.`)) {
                change(() => api.delete(`${path}/versions/${encode(version.version)}`),
                    `Deleted ${model.name} version ${version.version}.`);
            }
        }}, 'Delete'));
}

/** The labels (label to version) with a delete button each, a form to set one, and the traffic split. */
function labelsSection(model) {
    const path = `api/v1/models/${encode(model.name)}`;
    const labels = Object.entries(model.labels ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const id = `labels-${model.name}`;
    const name = h('input', {id: `${id}-name`, name: 'label', required: true, autocomplete: 'off', list: `${id}-known`});
    const version = h('select', {id: `${id}-version`, name: 'version'},
        model.versions.map(v => h('option', {value: v.version}, v.version)));
    const form = h('form', {class: 'inline-form', dataset: {labelForm: model.name}},
        h('datalist', {id: `${id}-known`}, labels.map(([label]) => h('option', {value: label}))),
        field('Label', name, 'new, or one to move'), field('Version', version),
        h('button', {type: 'submit'}, 'Set label'));
    form.addEventListener('submit', event => {
        event.preventDefault();
        change(() => api.put(`${path}/labels/${encode(name.value)}`, {version: version.value}),
            `${model.name}: label ${name.value} now names version ${version.value}.`);
    });
    return h('div', {class: 'labels', dataset: {labels: model.name}},
        h('h3', {}, 'Labels'),
        labels.length === 0 ? h('p', {class: 'hint'}, 'None yet: a label (stable, canary, …) names a version, '
            + 'and predict takes it wherever it takes a version.') : table(null, ['label', 'version', ''],
            labels.map(([label, v]) => [label, v, h('span', {class: 'actions', dataset: {label}},
                h('button', {type: 'button', class: 'danger', onclick: () => change(
                    () => api.delete(`${path}/labels/${encode(label)}`), `${model.name}: deleted the label ${label}.`)},
                    'Delete label'))])),
        model.versions.length ? form : null,
        trafficSection(model, labels.map(([label]) => label)));
}

/** The traffic split with a button to remove it, and a form to set it between two labels (with two labels or more). */
function trafficSection(model, labels) {
    const path = `api/v1/models/${encode(model.name)}/traffic`;
    const split = model.traffic?.split;
    if (!split && labels.length < 2) {
        return null; // a split needs two labels
    }
    const shown = h('p', {class: 'traffic', dataset: {traffic: model.name}}, 'Traffic split: ', split
        ? h('strong', {}, Object.entries(split).map(([label, percent]) => `${label} ${percent} %`).join(', '))
        : 'none (requests that name no version go to the default version)',
        split ? h('button', {type: 'button', class: 'secondary', onclick: () => change(() => api.delete(path),
            `${model.name}: removed the traffic split.`)}, 'Remove split') : null);
    if (labels.length < 2) {
        return shown;
    }
    const id = `traffic-${model.name}`;
    const names = Object.keys(split ?? {});
    const first = h('select', {id: `${id}-first`}, labels.map(l => h('option', {value: l, selected: l === names[0]}, l)));
    const second = h('select', {id: `${id}-second`},
        labels.map((l, i) => h('option', {value: l, selected: names.length ? l === names[1] : i === 1}, l)));
    const percent = h('input', {id: `${id}-percent`, type: 'number', min: 0, max: 100, step: 1, required: true,
        value: split ? split[names[0]] : 90});
    const form = h('form', {class: 'inline-form'}, field('First label', first), field('Its share (%)', percent),
        field('Second label (the rest)', second), h('button', {type: 'submit'}, 'Set split'));
    form.addEventListener('submit', event => {
        event.preventDefault();
        const share = Number(percent.value);
        change(() => api.put(path, {split: {[first.value]: share, [second.value]: 100 - share}}),
            `${model.name}: ${first.value} ${share} %, ${second.value} ${100 - share} %.`);
    });
    return h('div', {}, shown, form);
}

function details(version) {
    const provenance = version.provenance ?? {};
    return h('details', {class: 'version-details'},
        h('summary', {}, `Version ${version.version}: architecture and provenance`),
        h('h3', {}, 'Architecture'),
        h('ol', {class: 'layers'}, (version.architecture ?? []).map(layer => h('li', {}, describeLayer(layer)))),
        h('h3', {}, 'Provenance'),
        h('dl', {},
            h('dt', {}, 'created'), h('dd', {}, time(provenance.createdAt)),
            h('dt', {}, 'trained by'), h('dd', {}, provenance.trainedBy ?? '–'),
            h('dt', {}, 'data set digest'), h('dd', {}, h('code', {}, provenance.datasetDigest ?? '–')),
            h('dt', {}, 'format version'), h('dd', {}, String(version.formatVersion))),
        provenance.config ? h('details', {}, h('summary', {}, 'Training configuration'),
            h('pre', {}, JSON.stringify(provenance.config, null, 2))) : null);
}

function describeLayer(layer) {
    const parts = Object.entries(layer).filter(([name]) => name !== 'type').map(([name, value]) => `${name} ${value}`);
    return `${layer.type}: ${parts.join(', ')}`;
}

function uploadForm(models) {
    const name = h('input', {id: 'upload-name', name: 'name', required: true, pattern: '[A-Za-z0-9._\\-]{1,64}',
        list: 'model-names', autocomplete: 'off'});
    const version = h('input', {id: 'upload-version', name: 'version', required: true, pattern: '[A-Za-z0-9._\\-]{1,64}'});
    const model = h('input', {id: 'upload-model', name: 'model', type: 'file', accept: '.json,application/json', required: true});
    const weights = h('input', {id: 'upload-weights', name: 'weights', type: 'file', accept: '.safetensors', required: true});
    const form = h('form', {class: 'card', 'aria-labelledby': 'upload-title'},
        h('h2', {id: 'upload-title'}, 'Upload a version'),
        h('datalist', {id: 'model-names'}, models.map(m => h('option', {value: m.name}))),
        h('div', {class: 'grid'},
            field('Model name', name),
            field('Version', version, 'versions are immutable: a new name each time'),
            field('model.json', model),
            field('weights.safetensors', weights)),
        h('button', {type: 'submit'}, 'Upload'));
    form.addEventListener('submit', async event => {
        event.preventDefault();
        const body = new FormData();
        body.append('model', model.files[0]);
        body.append('weights', weights.files[0]);
        try {
            await api.upload('PUT', `api/v1/models/${encode(name.value)}/versions/${encode(version.value)}`, body);
            go('#/models', `Uploaded ${name.value} version ${version.value}.`);
        } catch (e) {
            reportError(e);
        }
    });
    return form;
}
