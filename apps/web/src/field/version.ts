/** Sent with every enrolment and sync; the server refuses visits from versions below FIELD_MIN_APP_VERSION. */
export const APP_VERSION = '1.0.0';
