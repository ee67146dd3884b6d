#!/usr/bin/env python3
"""Tables and PSNR-against-time plots of the model-quality study (docs/results.md, issue 11).

Reads logs of `bench/claims.sh init ... --curve` (io.lrnn.bench.claims.InitStudy): each run prints
`curve STEP WALL_SECONDS PSNR CPU_SECONDS` lines and then its markdown row `| image N | `recipe` | ...`.
Time is the run's CPU time (single-threaded runs: the wall time it would take on an idle core),
since on a shared machine wall time measures the load. Logs without it (older runs) take it from
`--cost FILE`: lines `SHAPE<TAB>CPU seconds per step`, SHAPE being a recipe without its lr= and
sched= words (made with --make-cost from short runs of each shape).

    bench/claims/study_report.py LOG... [--svg-dir docs] [--regime NAME=LOG,LOG]
    bench/claims/study_report.py --best-recipes LOG   (the best recipe of each family, one a line)
    bench/claims/study_report.py --make-cost LOG      (per-step CPU cost of each shape, between the
                                                       first two curve points: past the JIT warm-up)
    bench/claims/study_report.py --plot OUT.svg TITLE steps|cpu LABEL=LOG...
                                                      (PSNR against steps or CPU time of one-run
                                                       logs, stopped runs included)

Prints markdown: every run (family, lr, schedule, PSNR at 100 steps and at the end, time, and the
steps / seconds to reach 30, 40 and 60 dB), then per image and regime the best run of each family
(highest final PSNR) at equal steps and at equal wall time (the shortest of those runs' times:
the PSNR each had reached by then). Writes one SVG per image and regime: PSNR against time of
those best runs. Standard library only.
"""
import re
import sys
from collections import OrderedDict

THRESHOLDS = (30, 40, 60)
COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#8c564b', '#ff7f0e', '#17becf', '#7f7f7f']


def family(recipe):
    words = dict(w.split('=', 1) for w in recipe.split())
    model = words.get('model', 'lrnn')
    if model == 'siren':
        return 'SIREN'
    if model == 'relu':
        return 'ReLU+FF' if 'ff' in words else 'ReLU'
    spder = words.get('act', 'sin').startswith('spder')
    if words.get('d') == '1':
        return 'dense SPDER' if spder else 'dense sine (LRNN d 1)'
    return 'LRNN-SPDER' if spder else 'LRNN-sin'


COST = {}


def shape(recipe):
    return ' '.join(w for w in recipe.split() if not w.startswith(('lr=', 'sched=')))


def parse(paths):
    runs = []
    for path in paths:
        curve = []
        for line in open(path):
            line = line.strip()
            if line.startswith('curve '):
                fields = line.split()
                seconds = float(fields[4]) if len(fields) > 4 else None
                curve.append((int(fields[1]), seconds, float(fields[3])))
            elif line.startswith('| ') and '`' in line and not line.startswith('| image |'):
                cells = [c.strip() for c in line.strip('|').split('|')]
                image = cells[0]
                recipe = cells[1].strip('`')
                words = dict(w.split('=', 1) for w in recipe.split())
                if curve and curve[0][1] is None:
                    cost = COST[shape(recipe)]
                    curve = [(step, step * cost, psnr) for step, _, psnr in curve]
                runs.append(dict(image=image, recipe=recipe, family=family(recipe), params=int(cells[2].replace(',', '')),
                                 lr=words.get('lr', '1e-3'), sched=words.get('sched', 'step:100:0.8'),
                                 seconds=float(cells[-1].rstrip(' s')), curve=curve, log=path))
                curve = []
    return runs


def reach(curve, db):
    for step, seconds, psnr in curve:
        if psnr >= db:
            return '%d / %.1f s' % (step, seconds)
    return '-'


def at_time(curve, t):
    best = None
    for step, seconds, psnr in curve:
        if seconds <= t * 1.0001:
            best = psnr
    return best


def at_step(curve, s):
    for step, seconds, psnr in curve:
        if step == s:
            return psnr
    return None


def fmt(x):
    return '-' if x is None else '%.2f' % x


def svg(path, title, series, xlabel='CPU time of the single-threaded run (s)', width=640, height=360):
    left, right, top, bottom = 60, 170, 30, 45
    tmax = max((c[-1][1] for _, c in series if c), default=1)
    pmax = max((p for _, c in series for _, _, p in c), default=50)
    pmax = max(40, 20 * ((min(pmax, 300) + 19) // 20))
    pmin = 0
    def x(t):
        return left + (width - left - right) * t / tmax
    def y(p):
        return top + (height - top - bottom) * (1 - (min(p, pmax) - pmin) / (pmax - pmin))
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif" font-size="11">'
           % (width, height), '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="18" font-size="13">%s</text>' % (left, title)]
    for k in range(0, 6):
        p = pmin + (pmax - pmin) * k / 5
        out.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>' % (left, width - right, y(p), y(p)))
        out.append('<text x="%d" y="%.1f" text-anchor="end">%.0f</text>' % (left - 5, y(p) + 4, p))
        t = tmax * k / 5
        out.append('<text x="%.1f" y="%d" text-anchor="middle">%s</text>'
                   % (x(t), height - bottom + 15, ('%.1f' if tmax < 20 else '%.0f') % t))
    out.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % ((left + width - right) / 2, height - 8, xlabel))
    out.append('<text x="14" y="%d" transform="rotate(-90 14 %d)" text-anchor="middle">PSNR (dB)</text>'
               % ((top + height - bottom) / 2, (top + height - bottom) / 2))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="#333"/>'
               % (left, top, width - left - right, height - top - bottom))
    for i, (label, curve) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        points = ' '.join('%.1f,%.1f' % (x(t), y(p)) for _, t, p in curve)
        out.append('<polyline fill="none" stroke="%s" stroke-width="1.8" points="%s"/>' % (colour, points))
        ly = top + 14 + 16 * i
        out.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" stroke-width="2"/>'
                   % (width - right + 8, width - right + 26, ly - 4, ly - 4, colour))
        out.append('<text x="%d" y="%d">%s</text>' % (width - right + 30, ly, label))
    out.append('</svg>')
    with open(path, 'w') as f:
        f.write('\n'.join(out) + '\n')


def curve_of(path):
    """The curve lines of a one-run log, whether or not the run reached its end (its table row)."""
    return [(int(f[1]), float(f[4]) if len(f) > 4 else None, float(f[3])) for f in (line.split() for line in open(path))
            if f and f[0] == 'curve']


def plot(argv):
    """--plot OUT.svg TITLE steps|cpu LABEL=LOG...: PSNR against steps or CPU time of one-run logs."""
    out, title, axis = argv[:3]
    series = []
    for spec in argv[3:]:
        label, path = spec.rsplit('=', 1)
        curve = curve_of(path)
        series.append((label, [(step, step if axis == 'steps' else cpu, psnr) for step, cpu, psnr in curve
                               if axis == 'steps' or cpu is not None]))
    svg(out, title, series, 'full-batch steps' if axis == 'steps' else 'CPU time of the run, all its threads (s)')


def main(argv):
    if argv and argv[0] == '--plot':
        plot(argv[1:])
        return
    svg_dir = None
    regimes = OrderedDict()
    logs = []
    i = 0
    if argv and argv[0] == '--make-cost':
        for r in parse(argv[1:]):
            (s0, t0, _), (s1, t1, _) = r['curve'][0], r['curve'][1]
            print('%s\t%.6f' % (shape(r['recipe']), (t1 - t0) / (s1 - s0)))
        return
    if argv and argv[0] == '--cost':
        for line in open(argv[1]):
            if line.strip():
                key, value = line.rstrip('\n').split('\t')
                COST[key] = float(value)
        argv = argv[2:]
    if argv and argv[0] == '--best-recipes':
        best = OrderedDict()
        for r in parse(argv[1:]):
            if r['curve'] and (r['family'] not in best or r['curve'][-1][2] > best[r['family']]['curve'][-1][2]):
                best[r['family']] = r
        for r in best.values():
            print(r['recipe'])
        return
    while i < len(argv):
        if argv[i] == '--svg-dir':
            svg_dir = argv[i + 1]
            i += 2
        elif argv[i] == '--regime':
            name, files = argv[i + 1].split('=', 1)
            regimes[name] = files.split(',')
            i += 2
        else:
            logs.append(argv[i])
            i += 1
    if logs:
        regimes.setdefault('runs', []).extend(logs)
    for regime, files in regimes.items():
        runs = parse(files)
        print('\n#### %s: every run\n' % regime)
        print('| image | family | recipe | params | PSNR @100 | final PSNR (steps) | CPU time | 30 dB (steps / s) | 40 dB | 60 dB |')
        print('|---|---|---|--:|--:|--:|--:|--:|--:|--:|')
        for r in runs:
            last = r['curve'][-1] if r['curve'] else (0, r['seconds'], None)
            print('| %s | %s | `%s` | %s | %s | %s (%d) | %.1f s | %s | %s | %s |' % (
                r['image'], r['family'], r['recipe'], format(r['params'], ','), fmt(at_step(r['curve'], 100)),
                fmt(last[2]), last[0], last[1], reach(r['curve'], 30), reach(r['curve'], 40),
                reach(r['curve'], 60)))
        by_image = OrderedDict()
        for r in runs:
            by_image.setdefault(r['image'], []).append(r)
        for image, rs in by_image.items():
            best = OrderedDict()
            for r in rs:
                if not r['curve']:
                    continue
                f = r['family']
                if f not in best or r['curve'][-1][2] > best[f]['curve'][-1][2]:
                    best[f] = r
            if not best:
                continue
            steps = min(b['curve'][-1][0] for b in best.values())
            t_eq = min(b['curve'][-1][1] for b in best.values())
            print('\n#### %s, %s: best run of each family (equal steps %d, equal CPU time %.1f s)\n'
                  % (regime, image, steps, t_eq))
            print('| family | params | lr, schedule | PSNR @%d steps | PSNR @%.1f s | steps in %.1f s | 30 dB (steps / s) | 40 dB | 60 dB |'
                  % (steps, t_eq, t_eq))
            print('|---|--:|---|--:|--:|--:|--:|--:|--:|')
            for f, b in best.items():
                steps_in = max([s for s, t, _ in b['curve'] if t <= t_eq * 1.0001] or [0])
                print('| %s | %s | %s, %s | %s | %s | %d | %s | %s | %s |' % (
                    f, format(b['params'], ','), b['lr'], b['sched'], fmt(at_step(b['curve'], steps)),
                    fmt(at_time(b['curve'], t_eq)), steps_in, reach(b['curve'], 30), reach(b['curve'], 40),
                    reach(b['curve'], 60)))
            if svg_dir:
                name = '%s/results-psnr-%s-%s.svg' % (svg_dir, regime, image.replace(' ', '-'))
                svg(name, 'PSNR against CPU time: %s, %s regime' % (image, regime),
                    [('%s %s' % (f, b['lr']), b['curve']) for f, b in best.items()])
                print('\n![PSNR against time, %s, %s](%s)' % (image, regime, name.split('/')[-1]))


if __name__ == '__main__':
    main(sys.argv[1:])
