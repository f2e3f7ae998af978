// Worker thread of the parse pool (src/server/parse-pool.ts).
import { serveWorkerTasks } from './worker-pool.js';
import { parseGocdbInParts, parseJsonReportBody, parseProtocol4Body, parseProtocol5Body, reportInParts, type ReportInput } from './parse-tasks.js';

// Results go back in parts (src/server/worker-pool.ts): the event loop decodes one at a time.
serveWorkerTasks({
  'report:json': (input: ReportInput, emit) => reportInParts(parseJsonReportBody(input), emit),
  'report:protocol5': (input: ReportInput, emit) => reportInParts(parseProtocol5Body(input), emit),
  'report:protocol4': (input: ReportInput, emit) => reportInParts(parseProtocol4Body(input), emit),
  gocdb: parseGocdbInParts,
});
