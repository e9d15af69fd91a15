/** An error about the inputs as a whole (exit code 2): unreadable, unrecognised, missing column. */
export class InputError extends Error {}
