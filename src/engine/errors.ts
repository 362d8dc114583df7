// Errors a user can cause (bad shapes, bad files, bad options) are HourglassError:
// the CLI prints their message without a stack trace and exits non-zero.

export class HourglassError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HourglassError';
  }
}
