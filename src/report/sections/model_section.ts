// The model: family member, architecture, parameters, the layer summary, and how it was trained
// (each fit's data, settings, time and speed, from history.json).

import type { Autoencoder } from '../../models/autoencoder.js';
import { describeArchitecture } from '../../models/describe.js';
import { allEpochs, type FitRecord } from '../../model/training_history.js';
import { escapeHtml, htmlTable, num, type Section } from '../html.js';

const fact = (value: string, label: string) =>
  `<div class="fact"><b>${escapeHtml(value)}</b><span>${escapeHtml(label)}</span></div>`;

function optimizerOf(run: FitRecord): string {
  const o = run.options['optimizer'] as { name?: string; learningRate?: number } | undefined;
  return o ? `${o.name ?? '?'}${o.learningRate !== undefined ? ` (lr ${num(o.learningRate)})` : ''}` : '–';
}

function lossOf(run: FitRecord): string {
  const l = run.options['loss'] as { name?: string } | string | undefined;
  return typeof l === 'string' ? l : (l?.name ?? '–');
}

export function modelSection(ae: Autoencoder): Section {
  const m = ae.model;
  const runs = ae.trainingHistory.runs;
  const epochs = allEpochs(ae.trainingHistory);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const samples = epochs.reduce((s, e) => s + e.samplesPerSecond * e.seconds, 0);
  const trainSeconds = epochs.reduce((s, e) => s + e.seconds, 0);
  const facts = [
    fact(ae.kind, 'family member'),
    fact(describeArchitecture(ae), 'architecture'),
    fact(m.countParams().toLocaleString('en-US'), 'parameters'),
    fact(`${m.input.shape.join('×')} → ${ae.codeShape.join('×')}`, 'input → code'),
    fact(`${ae.outputActivation}, ${m.compiled?.loss.name ?? '–'}`, 'output and loss'),
    ...(runs.length
      ? [
          fact(`${epochs.length} in ${runs.length} fit${runs.length > 1 ? 's' : ''}`, 'epochs'),
          fact(`${num(seconds, 3)} s`, 'training time'),
          fact(
            trainSeconds > 0 ? `${Math.round(samples / trainSeconds).toLocaleString('en-US')}/s` : '–',
            'training samples per second',
          ),
        ]
      : []),
  ].join('');
  const settings = runs.length
    ? htmlTable(
        [
          'fit',
          'started',
          'data',
          'rows (train / validation)',
          'epochs',
          'batch',
          'optimizer',
          'loss',
          'time',
          'samples/s',
          'library',
        ],
        runs.map((r, i) => {
          const speed = r.epochs.length ? r.epochs.reduce((s, e) => s + e.samplesPerSecond, 0) / r.epochs.length : 0;
          return [
            String(i + 1),
            escapeHtml(r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')),
            escapeHtml(`${r.source ?? 'rows'} [${r.dataShape.join('×')}]`),
            `${r.trainingRows.toLocaleString('en-US')} / ${r.validationRows.toLocaleString('en-US')}`,
            String(r.epochs.length),
            escapeHtml(typeof r.options['batchSize'] === 'number' ? String(r.options['batchSize']) : '–'),
            escapeHtml(optimizerOf(r)),
            escapeHtml(lossOf(r)),
            `${num(r.seconds, 3)} s`,
            Math.round(speed).toLocaleString('en-US'),
            escapeHtml(r.library),
          ];
        }),
      )
    : '<p class="note">No training history: this model was saved before history.json existed, or never trained.</p>';
  const summary = m.summary(() => undefined);
  return {
    id: 'model',
    title: 'Model',
    html: `<div class="facts">${facts}</div><h3>Training settings</h3>${settings}<h3>Layers</h3><pre>${escapeHtml(summary)}</pre>`,
    charts: [],
  };
}
