// Models: every version with its task, inputs, outputs, architecture, size and provenance;
// choose the default, delete a version, upload one.

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
    return h('section', {class: 'card', 'aria-labelledby': `model-${model.name}`, dataset: {model: model.name}},
        h('h2', {id: `model-${model.name}`}, model.name),
        h('p', {}, 'Default version: ', h('strong', {}, model.defaultVersion ?? 'none')),
        table(null, ['version', 'task', 'inputs', 'outputs', 'parameters', 'loaded', ''],
            model.versions.map(version => [
                h('span', {}, version.version, version.isDefault ? h('span', {class: 'badge'}, 'default') : null,
                    version.readOnly ? h('span', {class: 'badge muted', title: 'from the model directory'}, 'read-only') : null),
                version.task,
                version.inputs.join(', '),
                version.outputs.join(', '),
                number(version.parameterCount),
                time(version.loadedAt),
                actions(model, version),
            ])),
        model.versions.map(version => details(version)),
        model.notLoaded?.length ? h('div', {class: 'warning'}, h('h3', {}, 'Not loaded on this replica'),
            h('ul', {}, model.notLoaded.map(n => h('li', {}, `${n.version} (${n.source}): ${n.reason}`)))) : null);
}

function actions(model, version) {
    const path = `api/v1/models/${encode(model.name)}`;
    return h('span', {class: 'actions', dataset: {version: version.version}},
        h('a', {class: 'button', href: `#/predict/${encode(model.name)}/${encode(version.version)}`}, 'Predict'),
        version.isDefault ? null : h('button', {type: 'button', class: 'secondary', onclick: async () => {
            try {
                await api.put(`${path}/default-version`, {version: version.version});
                go('#/models', `${model.name} ${version.version} is now the default version.`);
            } catch (e) {
                reportError(e);
            }
        }}, 'Make default'),
        version.readOnly ? null : h('button', {type: 'button', class: 'danger', onclick: async () => {
            if (!confirm(`Delete ${model.name} version ${version.version}? This cannot be undone.`)) {
                return;
            }
            try {
                await api.delete(`${path}/versions/${encode(version.version)}`);
                go('#/models', `Deleted ${model.name} version ${version.version}.`);
            } catch (e) {
                reportError(e);
            }
        }}, 'Delete'));
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
