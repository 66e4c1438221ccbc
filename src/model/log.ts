/**
 * The logging surface that inner stages may use. Composition roots pass a pino logger (which satisfies
 * it); stages never import pino themselves.
 */
export interface StageLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

/** A logger that drops everything, for tests and one-shot commands. */
export const silentLogger: StageLogger = {
  debug() {},
  info() {},
  warn() {},
};
