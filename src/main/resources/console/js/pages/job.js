// One training job, live: state, progress, ETA and the loss curves grow from its event stream.

import {api} from '../api.js';
import {encode, h, number, replace, seconds} from '../dom.js';
import {reportError} from '../app.js';
import {follow} from '../sse.js';
import {LossChart} from '../chart.js';
import {progressBar, stateBadge} from './jobs.js';

const ACTIVE = new Set(['QUEUED', 'RUNNING']);

export async function jobPage(view, [id], signal) {
    const path = `api/v1/training-jobs/${encode(id)}`;
    const state = h('p', {id: 'job-state'}, 'Connecting…');
    const progress = h('div', {id: 'job-progress'});
    const stats = h('dl', {id: 'job-stats', class: 'stats'});
    const outcome = h('div', {id: 'job-outcome'});
    const chartBox = h('div', {id: 'loss-chart', class: 'chart', dataset: {points: '0'}});
    const cancel = h('button', {type: 'button', id: 'job-cancel', class: 'danger', hidden: true, onclick: async () => {
        try {
            cancel.disabled = true;
            show(await api.post(`${path}/cancel`));
        } catch (e) {
            cancel.disabled = false;
            reportError(e);
        }
    }}, 'Cancel');
    const connection = h('p', {id: 'job-connection', class: 'hint', 'aria-live': 'polite', dataset: {reconnects: '0'}});
    replace(view, h('h1', {}, `Training job ${id}`), state, progress, stats, cancel, outcome,
        h('section', {class: 'card'}, h('h2', {}, 'Loss'), chartBox, connection));
    const chart = new LossChart(chartBox);
    let lastState = null;
    let latest = null; // the progress shown: the last full report, updated by the points after it

    function showState(value, job) {
        replace(state, 'State: ', stateBadge(value), job?.queuePosition ? ` (${job.queuePosition} in the queue)` : '',
            job?.cancelRequested && ACTIVE.has(value) ? ' (cancel requested)' : '');
        cancel.hidden = !ACTIVE.has(value);
    }

    function showProgress(p, stateName) {
        progress.dataset.step = String(p?.step ?? 0);
        replace(progress, progressBar(p, stateName), ` step ${p?.step ?? 0} of ${p?.totalSteps ?? '?'}`,
            p?.epoch != null ? `, epoch ${p.epoch}` : '');
        replace(stats,
            h('dt', {}, 'train loss'), h('dd', {}, number(p?.trainLoss)),
            h('dt', {}, 'validation loss'), h('dd', {}, number(p?.validationLoss)),
            p?.validationAccuracy != null ? [h('dt', {}, 'validation accuracy'), h('dd', {}, number(p.validationAccuracy, 3))] : null,
            h('dt', {}, 'elapsed'), h('dd', {}, seconds(p?.elapsedSeconds)),
            h('dt', {}, 'ETA'), h('dd', {id: 'job-eta'}, ACTIVE.has(stateName) ? seconds(p?.etaSeconds) : '–'));
    }

    /** A whole job (the snapshot, the final event, the answer to cancel). */
    function show(job) {
        latest = job.progress ?? latest;
        showState(job.state, job);
        showProgress(latest, job.state);
        chart.add(job.history ?? []);
        if (job.result) {
            const version = `${encode(job.result.modelName)}/${encode(job.result.version)}`;
            replace(outcome, h('p', {class: 'success'}, 'Produced ',
                h('a', {id: 'job-result', href: `#/predict/${version}`}, `${job.result.modelName} version ${job.result.version}`),
                ': try it in the playground, or see it among the ', h('a', {href: '#/models'}, 'models'), '.'));
        } else if (job.error) {
            replace(outcome, h('p', {class: 'error', id: 'job-error'}, job.error));
        }
    }

    const stream = follow(`${path}/events`, {
        onEvent(event) {
            const data = JSON.parse(event.data);
            connection.textContent = '';
            if (event.event === 'snapshot' || event.event === 'end') {
                lastState = data.state;
                show(data);
                if (event.event === 'end') {
                    connection.textContent = 'Finished: the stream is closed.';
                }
            } else if (event.event === 'progress') {
                lastState = data.state ?? lastState;
                showState(lastState);
                // A resumed stream's first events are history points: the step and losses, nothing more.
                latest = {...latest, ...data};
                showProgress(latest, lastState);
                chart.add([data]);
            } else if (event.event === 'state') {
                lastState = data.state;
                showState(lastState);
            }
        },
        onError(error) {
            replace(state, 'State: unknown (the stream was refused).');
            reportError(error);
        },
        onReconnect(lastId) {
            connection.dataset.reconnects = String(Number(connection.dataset.reconnects) + 1);
            connection.textContent = `Reconnecting after step ${lastId ?? 'none'}…`;
        },
    });
    signal.addEventListener('abort', () => {
        stream.close();
        chart.destroy();
    });
}
