/**
 * For commands that run until told to stop (`watch`, `board`): a promise that resolves on
 * the first SIGINT or SIGTERM, and the way to remove its handlers again.
 */
export function stopSignal(): { stopped: Promise<void>; dispose: () => void } {
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => {
    stop = resolve;
  });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return {
    stopped,
    dispose: () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}
