// Train and validation loss against the step, on a log scale (uPlot, from its WebJar).

import uPlot from '../../webjars/uplot/dist/uPlot.esm.js';

const HEIGHT = 300;

export class LossChart {
    /** @param container an empty element; its data-points attribute counts the plotted steps, data-last-step the last */
    constructor(container) {
        this.container = container;
        this.points = new Map();
        this.plot = new uPlot({
            width: Math.max(container.clientWidth, 280),
            height: HEIGHT,
            scales: {x: {time: false}, y: {distr: 3}},
            axes: [{label: 'step'}, {label: 'loss (log scale, standardised units)', size: 70, values: powers}],
            series: [
                {label: 'step'},
                {label: 'train', stroke: '#2563eb', width: 2, points: {show: false}},
                {label: 'validation', stroke: '#d9480f', width: 2, dash: [6, 3], points: {show: false}, spanGaps: true},
            ],
        }, [[], [], []], container);
        this.resizer = new ResizeObserver(() =>
            this.plot.setSize({width: Math.max(container.clientWidth, 280), height: HEIGHT}));
        this.resizer.observe(container);
        this.render();
    }

    /**
     * Adds points {step, trainLoss, validationLoss} at steps not plotted yet: the live events, and
     * the stored history of a snapshot or the final job, which fills in what the events skipped.
     */
    add(points) {
        for (const point of points) {
            if (point.step != null && !this.points.has(point.step)) {
                this.points.set(point.step, [positive(point.trainLoss), positive(point.validationLoss)]);
            }
        }
        this.render();
    }

    render() {
        const steps = [...this.points.keys()].sort((a, b) => a - b);
        this.plot.setData([steps, steps.map(s => this.points.get(s)[0]), steps.map(s => this.points.get(s)[1])]);
        this.container.dataset.points = String(steps.length);
        this.container.dataset.lastStep = String(steps.at(-1) ?? 0);
    }

    destroy() {
        this.resizer.disconnect();
        this.plot.destroy();
    }
}

/** The log axis's ticks: 0.1, 0.01, then 1e-3, 1e-4, ... */
function powers(plot, ticks) {
    return ticks.map(v => v == null ? '' : v >= 0.01 ? String(v) : v.toExponential(0));
}

/** A log scale has no place for zero or a missing value. */
function positive(value) {
    return value != null && value > 0 ? value : null;
}
