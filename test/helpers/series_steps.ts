// The series the command-line tests write: steps every 5 minutes from 2024-01-01 00:00 UTC, and a
// daily-like wave (a period of 48 steps) with a small irregular ripple, so windows differ.

const START = Date.UTC(2024, 0, 1);

/** Step i's timestamp as a CSV writes it ("2024-01-01 00:05:00"). */
export const stepTime = (i: number) => new Date(START + i * 300_000).toISOString().slice(0, 19).replace('T', ' ');

/** The wave's value at step i. */
export const wave = (i: number) => Math.sin((2 * Math.PI * i) / 48) + 0.05 * Math.sin(i * 1.7);
