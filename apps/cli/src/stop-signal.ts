/** Resolves on the first SIGINT or SIGTERM; a second one while closing exits at once. */
export function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (): void => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      const forceExit = (): never => process.exit(1);
      process.once('SIGINT', forceExit);
      process.once('SIGTERM', forceExit);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
