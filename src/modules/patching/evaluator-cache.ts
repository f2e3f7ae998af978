// The compiled feed each process evaluates with. Rebuilt when the feed generation in the
// database moves (any process may have refreshed a feed); checked at most once a second.
import type { Db } from '../../db/database.js';
import { compileFeed, createEvaluator, type Evaluator } from '../../lib/evaluate/index.js';
import type { Definition } from '../../lib/vuln-model/index.js';
import { feedGeneration, type FeedService } from './feeds.js';
import { createDebianSourceOf } from './debian-sources.js';

const RECHECK_MS = 1000;

export interface CurrentEvaluator {
  generation: number;
  evaluator: Evaluator;
  definitions: number;
}

export function createEvaluatorCache(db: Db, feeds: FeedService) {
  let current: CurrentEvaluator | undefined;
  let checkedAt = 0;
  let building: Promise<CurrentEvaluator> | undefined;

  async function build(generation: number): Promise<CurrentEvaluator> {
    const definitions: Definition[] = [];
    for await (const body of feeds.allDefinitions()) definitions.push(JSON.parse(body) as Definition);
    // Debian and Ubuntu data name source packages; the archive indexes loaded as feeds say which binaries each builds.
    const sourceOf = createDebianSourceOf(await feeds.sourceMaps());
    return { generation, evaluator: createEvaluator(compileFeed(definitions), { sourceOf }), definitions: definitions.length };
  }

  return {
    async get(): Promise<CurrentEvaluator> {
      const now = Date.now();
      if (current && now - checkedAt < RECHECK_MS) return current;
      const generation = await feedGeneration(db);
      checkedAt = now;
      if (current?.generation === generation) return current;
      // One build at a time; concurrent reports wait for it rather than each compiling.
      building ??= build(generation).finally(() => {
        building = undefined;
      });
      current = await building;
      return current;
    },
    invalidate(): void {
      checkedAt = 0;
    },
  };
}
export type EvaluatorCache = ReturnType<typeof createEvaluatorCache>;
