// Giving other requests a turn during long work on the event loop. SQLite answers through
// better-sqlite3 synchronously, so an import of thousands of rows runs from one microtask to
// the next and never lets the loop serve anything else (issue 9: a GOCDB dry run held the
// server for seconds). Awaiting a pacer in such a loop yields once a time budget is spent.

/**
 * A function to await in a long loop: it returns at once until `budgetMs` have passed since the
 * last yield, then lets the event loop run pending I/O (setImmediate) before going on.
 *
 * @example
 * const pace = createPacer();
 * for (const row of rows) { await pace(); await writeRow(row); }
 */
export function createPacer(budgetMs = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    since = performance.now();
  };
}
