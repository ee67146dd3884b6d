// Training jobs: the list (state and progress, refreshed while any is active) and the submit form.

import {api} from '../api.js';
import {encode, field, h, replace, table, time} from '../dom.js';
import {go, reportError} from '../app.js';

const ACTIVE = new Set(['QUEUED', 'RUNNING']);
const REFRESH_MILLIS = 2000;

/** Fields of every hidden layer; empty ones keep the preset's layers as they are. */
const LAYER_FIELDS = [
    {name: 'width', label: 'Layer width', step: 1, min: 1, max: 4096},
    {name: 'projection', label: 'Projection (d)', step: 1, min: 1, max: 64},
    {name: 'hidden', label: 'Hidden (h)', step: 1, min: 1, max: 256},
    {name: 'omega', label: 'Omega', step: 'any', min: 0, max: 1000},
];

const HYPERPARAMETERS = [
    {name: 'epochs', label: 'Epochs', step: 1, min: 1},
    {name: 'batchSize', label: 'Batch size', step: 1, min: 1},
    {name: 'learningRate', label: 'Learning rate', step: 'any', min: 0},
    {name: 'validationSplit', label: 'Validation split', step: 'any', min: 0, max: 0.9},
    {name: 'earlyStoppingPatience', label: 'Early-stopping patience (epochs)', step: 1, min: 0},
    {name: 'weightDecay', label: 'Weight decay', step: 'any', min: 0},
    {name: 'maxSteps', label: 'Max steps (0: none)', step: 1, min: 0},
    {name: 'seed', label: 'Seed', step: 1},
];

export function stateBadge(state) {
    return h('span', {class: `state state-${state.toLowerCase()}`, dataset: {state}}, state);
}

export function progressBar(progress, state) {
    const step = progress?.step ?? 0;
    const total = progress?.totalSteps ?? 0;
    const done = state === 'SUCCEEDED';
    return h('progress', {max: total || 1, value: done ? total || 1 : step,
        'aria-label': `${step} of ${total || '?'} steps`}, `${step} / ${total}`);
}

export async function jobsPage(view, params, signal) {
    const list = h('div', {id: 'jobs'});
    replace(view, h('h1', {}, 'Training jobs'), h('p', {}, h('a', {class: 'button', href: '#/jobs/new'}, 'Submit a job')), list);
    while (!signal.aborted) {
        const jobs = await api.get('api/v1/training-jobs?size=50', {signal});
        replace(list, jobs.length === 0 ? h('p', {}, 'No job yet.') : table('Newest first',
            ['job', 'model', 'state', 'progress', 'created'],
            jobs.map(job => [
                h('a', {href: `#/jobs/${encode(job.id)}`}, job.id),
                job.result ? `${job.modelName} ${job.result.version}` : job.modelName,
                h('span', {}, stateBadge(job.state), job.queuePosition ? ` (${job.queuePosition} in queue)` : ''),
                progressBar(job.progress, job.state),
                time(job.createdAt),
            ])));
        if (!jobs.some(job => ACTIVE.has(job.state))) {
            return;
        }
        await new Promise(resolve => setTimeout(resolve, REFRESH_MILLIS));
    }
}

export async function newJobPage(view, [datasetId], signal) {
    const [datasets, presets] = await Promise.all([api.get('api/v1/datasets', {signal}),
        api.get('api/v1/training-presets', {signal})]);
    if (datasets.length === 0) {
        replace(view, h('h1', {}, 'Submit a training job'), h('p', {}, 'A job trains on a data set: ',
            h('a', {href: '#/datasets'}, 'upload one first'), '.'));
        return;
    }
    const dataset = h('select', {id: 'job-dataset', name: 'datasetId'},
        datasets.map(d => h('option', {value: d.id, selected: d.id === datasetId}, `${d.name ?? d.id} (${d.rows} rows)`)));
    const model = h('input', {id: 'job-model', name: 'modelName', required: true, pattern: '[A-Za-z0-9._\\-]{1,64}'});
    const task = h('select', {id: 'job-task', name: 'task'},
        h('option', {value: 'regression'}, 'regression'), h('option', {value: 'classification'}, 'classification'));
    const preset = h('select', {id: 'job-preset', name: 'preset'},
        presets.map(p => h('option', {value: p.name, selected: p.isDefault}, p.name)));
    const schedule = h('select', {id: 'training-schedule', name: 'schedule'}, h('option', {value: ''}, 'preset default'),
        ['constant', 'cosine', 'step'].map(s => h('option', {value: s}, s)));
    const columns = h('div', {class: 'columns'});
    const numbers = HYPERPARAMETERS.map(p => h('input', {id: `training-${p.name}`, name: p.name, type: 'number',
        step: p.step, min: p.min, max: p.max}));
    const defaults = h('div', {class: 'grid'}, HYPERPARAMETERS.map((p, i) =>
        field(p.label, numbers[i], 'default')), field('Schedule', schedule, 'default'));
    const activation = h('select', {id: 'layer-activation', name: 'activation'}, h('option', {value: ''}, 'preset default'),
        ['sin', 'spder'].map(a => h('option', {value: a}, a)));
    const layerNumbers = LAYER_FIELDS.map(p => h('input', {id: `layer-${p.name}`, name: p.name, type: 'number',
        step: p.step, min: p.min, max: p.max}));
    const layerFields = h('div', {class: 'grid'}, LAYER_FIELDS.map((p, i) => field(p.label, layerNumbers[i], 'default')),
        field('Activation', activation, 'default'));
    const layersHint = h('p', {class: 'hint', id: 'layers-hint'});

    const chosen = () => presets.find(p => p.name === preset.value);

    /** The chosen preset's values as placeholders and hints; a value of several layers reads "30, 5". */
    function showDefaults() {
        const {architecture, training} = chosen();
        const layerValue = name => [...new Set(architecture.layers.map(layer => layer[name] ?? '–'))].join(', ');
        const show = (control, value) => {
            document.getElementById(`${control.id}-hint`).textContent = `default ${value}`;
            if (control.tagName === 'SELECT') {
                control.options[0].textContent = `preset default (${value})`;
            } else {
                control.placeholder = String(value);
            }
        };
        HYPERPARAMETERS.forEach((p, i) => show(numbers[i], training[p.name]));
        LAYER_FIELDS.forEach((p, i) => show(layerNumbers[i], layerValue(p.name)));
        show(schedule, training.schedule);
        show(activation, layerValue('activation'));
        replace(layersHint, `The ${preset.value} preset has ${architecture.layers.length} hidden `
            + `${architecture.layers.length === 1 ? 'layer' : 'layers'} (${architecture.layers.map(l => l.type).join(', ')}); `
            + 'a value here sets it in every one.');
    }

    /** The preset's layers with the fields given here, or nothing (the preset's) when every field is empty. */
    function architecture() {
        const given = Object.fromEntries(LAYER_FIELDS.map((p, i) => [p.name, layerNumbers[i].value])
            .filter(([, value]) => value !== '').map(([name, value]) => [name, Number(value)]));
        if (activation.value) {
            given.activation = activation.value;
        }
        return Object.keys(given).length === 0 ? undefined
            : {layers: chosen().architecture.layers.map(layer => ({...layer, ...given}))};
    }

    function showColumns() {
        const d = datasets.find(x => x.id === dataset.value);
        replace(columns, h('fieldset', {}, h('legend', {}, 'Targets'), d.columns.map(c => checkbox('target', c, false))),
            h('fieldset', {}, h('legend', {}, 'Features (none ticked: every other column)'),
                d.columns.filter(c => c.numeric).map(c => checkbox('feature', c, false))));
    }

    const form = h('form', {class: 'card', id: 'job-form'},
        h('div', {class: 'grid'}, field('Data set', dataset), field('Model name', model, 'the new version’s model'),
            field('Task', task), field('Preset', preset)),
        columns, h('p', {class: 'hint'}, 'Empty fields below take the preset’s value.'),
        h('h2', {}, 'Architecture'), layersHint, layerFields,
        h('h2', {}, 'Hyper-parameters'), defaults, h('button', {type: 'submit', id: 'job-submit'}, 'Submit'));
    dataset.addEventListener('change', showColumns);
    preset.addEventListener('change', showDefaults);
    form.addEventListener('submit', async event => {
        event.preventDefault();
        const ticked = kind => [...form.querySelectorAll(`input[name=${kind}]:checked`)].map(c => c.value);
        const training = Object.fromEntries(HYPERPARAMETERS.map((p, i) => [p.name, numbers[i].value])
            .filter(([, value]) => value !== '').map(([name, value]) => [name, Number(value)]));
        if (schedule.value) {
            training.schedule = schedule.value;
        }
        const features = ticked('feature');
        try {
            const job = await api.post('api/v1/training-jobs', {
                modelName: model.value, datasetId: dataset.value, targets: ticked('target'),
                features: features.length ? features : undefined, task: task.value, preset: preset.value,
                architecture: architecture(), training,
            });
            go(`#/jobs/${encode(job.id)}`, `Submitted ${job.id}.`);
        } catch (e) {
            reportError(e);
        }
    });
    replace(view, h('h1', {}, 'Submit a training job'), form);
    showColumns();
    showDefaults();
}

function checkbox(kind, column, checked) {
    const id = `${kind}-${column.name}`;
    return h('label', {class: 'check', for: id},
        h('input', {type: 'checkbox', id, name: kind, value: column.name, checked}),
        ` ${column.name}`, column.numeric ? '' : h('span', {class: 'badge muted'}, 'text'));
}
