// A request the server refuses: a user error (HourglassError, so nothing prints a stack trace)
// carrying the HTTP status that says whose fault it is and what to change.

import { HourglassError } from '../engine/errors.js';

export class RequestError extends HourglassError {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

/** 422: the body parsed, but its rows do not fit the model. */
export const unfit = (message: string): RequestError => new RequestError(422, message);
