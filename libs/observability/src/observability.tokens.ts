/** Injection token of the instance's pino `Logger`: `@Inject(PINO_LOGGER) logger: Logger`. */
export const PINO_LOGGER = Symbol('PINO_LOGGER');
