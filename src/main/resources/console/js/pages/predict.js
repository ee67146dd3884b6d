// The predict playground: one field per input (or JSON rows), the answer as values or class
// probabilities, and the same request as a curl command.

import {api, apiKey} from '../api.js';
import {encode, field, h, replace, table} from '../dom.js';
import {go, reportError} from '../app.js';

export async function predictPage(view, [name, version], signal) {
    const models = await api.get('api/v1/models', {signal});
    const choices = models.flatMap(m => [
        ...m.versions.map(v => ({model: m, name: v.version, version: v,
            text: `${m.name} ${v.version}${v.isDefault ? ' (default)' : ''}`})),
        ...Object.entries(m.labels ?? {}).sort(([a], [b]) => a.localeCompare(b))
            .map(([label, target]) => ({model: m, name: label, label, version: m.versions.find(v => v.version === target),
                text: `${m.name} ${label} (label: version ${target})`}))
            .filter(c => c.version)]);
    if (choices.length === 0) {
        replace(view, h('h1', {}, 'Predict'), h('p', {}, 'No model is loaded yet. ', h('a', {href: '#/models'}, 'Upload one'),
            ' or ', h('a', {href: '#/jobs/new'}, 'train one'), '.'));
        return;
    }
    // A version wins over a label of the same name, as in the API.
    const chosen = choices.find(c => c.model.name === name && c.name === version)
        ?? choices.find(c => c.version.isDefault && !c.label) ?? choices[0];
    const select = h('select', {id: 'predict-version', onchange: () =>
            go(`#/predict/${select.value}`)},
        choices.map(c => h('option', {value: `${encode(c.model.name)}/${encode(c.name)}`, selected: c === chosen}, c.text)));
    replace(view, h('h1', {}, 'Predict'), field('Model version or label', select),
        playground(chosen.model.name, chosen.name, chosen.version));
}

/** The form for {@code version}, sent to {@code name}: the version's name or a label naming it. */
function playground(model, name, version) {
    const path = `api/v1/models/${encode(model)}/versions/${encode(name)}/predict`;
    const inputs = version.inputs.map((input, i) =>
        h('input', {id: `input-${i}`, name: input, type: 'number', step: 'any', required: true, value: '0'}));
    const mode = h('select', {id: 'predict-mode'}, h('option', {value: 'form'}, 'one row, a field per input'),
        h('option', {value: 'json'}, 'JSON rows (instances)'));
    const rows = h('textarea', {id: 'predict-rows', rows: 5, spellcheck: 'false'},
        JSON.stringify([version.inputs.map(() => 0)]));
    const formFields = h('div', {class: 'grid'}, inputs.map((input, i) => field(version.inputs[i], input)));
    const jsonField = h('div', {hidden: true}, field('Rows: an array of rows, each an array in input order or an object by name',
        rows, `inputs in order: ${version.inputs.join(', ')}`));
    const answer = h('div', {id: 'prediction', 'aria-live': 'polite'});
    const curl = h('code', {id: 'predict-curl'});

    function body() {
        if (mode.value === 'json') {
            let instances;
            try {
                instances = JSON.parse(rows.value);
            } catch (e) {
                throw new Error(`rows: expected JSON but found ${e.message}`);
            }
            return {instances: Array.isArray(instances) ? instances : [instances]};
        }
        return {instances: [Object.fromEntries(inputs.map(input => [input.name, Number(input.value)]))]};
    }

    function showCurl() {
        let text;
        try {
            text = JSON.stringify(body());
        } catch (e) {
            text = '...';
        }
        const url = new URL(path, document.baseURI).href;
        const key = apiKey.get() ? ` \\\n     -H "Authorization: Bearer $LRNN_API_KEY"` : '';
        curl.textContent = `curl -H 'Content-Type: application/json'${key} \\\n     -d '${text.replaceAll("'", "'\\''")}' \\\n     ${url}`;
    }

    const form = h('form', {class: 'card', 'aria-labelledby': 'playground-title'},
        h('h2', {id: 'playground-title'}, `${model} ${name}`, h('span', {class: 'badge muted'}, version.task),
            name === version.version ? null : h('span', {class: 'badge label'}, `label of version ${version.version}`)),
        field('Input', mode), formFields, jsonField,
        h('button', {type: 'submit', id: 'predict-submit'}, 'Predict'));
    form.addEventListener('input', showCurl);
    mode.addEventListener('change', () => {
        formFields.hidden = mode.value === 'json';
        jsonField.hidden = mode.value !== 'json';
        inputs.forEach(input => input.required = mode.value !== 'json');
        showCurl();
    });
    form.addEventListener('submit', async event => {
        event.preventDefault();
        try {
            const result = await api.post(path, body());
            replace(answer, h('h2', {}, 'Answer'),
                h('p', {class: 'hint', id: 'prediction-version', dataset: {version: result.version}},
                    `answered by ${result.model} version ${result.version}`),
                result.predictions.map((p, row) => prediction(p, row, version)));
        } catch (e) {
            replace(answer);
            reportError(e);
        }
    });
    showCurl();
    return h('div', {}, form, answer,
        h('section', {class: 'card'}, h('h2', {}, 'The same request with curl'), h('pre', {}, curl)));
}

/** A regression row as its values, a classification row as its label and every class's probability. */
function prediction(p, row, version) {
    if (version.task === 'classification') {
        const classes = Object.entries(p.probabilities).sort((a, b) => b[1] - a[1]);
        return h('div', {class: 'prediction', id: `prediction-${row}`},
            h('p', {}, `Row ${row + 1}: `, h('strong', {dataset: {label: p.label}}, p.label)),
            table(null, ['class', 'probability'], classes.map(([label, probability]) => [label,
                h('span', {class: 'probability'}, h('meter', {min: 0, max: 1, value: probability}),
                    h('span', {dataset: {value: probability}}, `${(probability * 100).toFixed(1)} %`))])));
    }
    return h('div', {class: 'prediction', id: `prediction-${row}`},
        table(`Row ${row + 1}`, ['output', 'value'], version.outputs.map(output =>
            [output, h('output', {id: `prediction-${row}-${output}`, dataset: {value: p[output]}}, String(p[output]))])));
}
