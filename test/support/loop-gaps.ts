// Watches the event loop while a piece of work runs: each gap between two turns (setImmediate),
// so a test can tell work done in slices from work that holds the loop.

/** Starts watching; `stop()` ends it and returns every gap in ms, the last one up to now. */
export function watchLoop(): { stop(): number[] } {
  const gaps: number[] = [];
  let last = performance.now();
  let running = true;
  const tick = () => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop() {
      running = false;
      gaps.push(performance.now() - last);
      return gaps;
    },
  };
}
