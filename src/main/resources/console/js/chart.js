// Train and validation loss against the step, on a log scale (uPlot, from its WebJar).

import uPlot from '../../webjars/uplot/dist/uPlot.esm.js';

const HEIGHT = 300;

export class LossChart {
    /** @param container an empty element; its data-points attribute counts the plotted steps */
    constructor(container) {
        this.container = container;
        this.steps = [];
        this.train = [];
        this.validation = [];
        this.plot = new uPlot({
            width: Math.max(container.clientWidth, 280),
            height: HEIGHT,
            scales: {x: {time: false}, y: {distr: 3}},
            axes: [{label: 'step'}, {label: 'loss (log scale, standardised units)', size: 70}],
            series: [
                {label: 'step'},
                {label: 'train', stroke: '#2563eb', width: 2, points: {show: false}},
                {label: 'validation', stroke: '#d9480f', width: 2, dash: [6, 3], points: {show: false}},
            ],
        }, [[], [], []], container);
        this.resizer = new ResizeObserver(() =>
            this.plot.setSize({width: Math.max(container.clientWidth, 280), height: HEIGHT}));
        this.resizer.observe(container);
        this.render();
    }

    /** Adds points {step, trainLoss, validationLoss} after the last step plotted; others are ignored. */
    add(points) {
        for (const point of points) {
            if (point.step == null || this.steps.length > 0 && point.step <= this.steps.at(-1)) {
                continue;
            }
            this.steps.push(point.step);
            this.train.push(positive(point.trainLoss));
            this.validation.push(positive(point.validationLoss));
        }
        this.render();
    }

    render() {
        this.plot.setData([this.steps, this.train, this.validation]);
        this.container.dataset.points = String(this.steps.length);
    }

    destroy() {
        this.resizer.disconnect();
        this.plot.destroy();
    }
}

/** A log scale has no place for zero or a missing value. */
function positive(value) {
    return value != null && value > 0 ? value : null;
}
