// The HTTP load generator for bench/patching-ingest.bench.ts, run as its own process so that it
// never shares a core's event loop with the server: builds `count` protocol-5 reports (outside
// the measured time), posts each once with autocannon to `POST /feed/?protocol=5`, and prints
// one JSON line with the figures. Bounded by count and by `maxSeconds`.
// Usage: node --import tsx bench/support/load.ts '{"url":…,"site":…,"prefix":…,"scenario":"mix",…}'
import autocannon from 'autocannon';
import { population, type Scenario } from './reports.js';

export interface LoadParams {
  url: string;
  site: string;
  prefix: string;
  scenario: Scenario;
  seed: number;
  count: number;
  connections: number;
  maxSeconds: number;
  packages?: number;
}
export interface LoadResult {
  sent: number;
  ok: number;
  notOk: number;
  errors: number;
  timeouts: number;
  seconds: number;
  perSecond: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  bodyBytes: number;
  stopped: boolean;
}

const params = JSON.parse(process.argv[2] ?? '{}') as LoadParams;
const pop = population({ site: params.site, prefix: params.prefix, scenario: params.scenario, seed: params.seed, packages: params.packages });
const bodies: Buffer[] = [];
for (let i = 0; i < params.count; i++) bodies.push(Buffer.from(pop.report(i).body));
const bodyBytes = Math.round(bodies.reduce((a, b) => a + b.length, 0) / bodies.length);

let next = 0;
const started = performance.now();
let ok = 0;
let notOk = 0;
const instance = autocannon({
  url: params.url,
  connections: params.connections,
  amount: params.count,
  timeout: 30,
  requests: [
    {
      method: 'POST',
      path: '/feed/?protocol=5',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'libwww-perl/6.68' },
      setupRequest: (req) => ({ ...req, body: bodies[next++ % bodies.length] }),
      onResponse: (status, body) => {
        if (status === 200 && body === 'OK\n') ok++;
        else notOk++;
      },
    },
  ],
});
let stopped = false;
const timer = setTimeout(() => {
  stopped = true;
  instance.stop();
}, params.maxSeconds * 1000);
instance.on('done', (r) => {
  clearTimeout(timer);
  // autocannon's own duration is counted in whole ticks: measure the wall time here.
  const seconds = (performance.now() - started) / 1000;
  const result: LoadResult = {
    sent: r.requests.sent,
    ok,
    notOk,
    errors: r.errors,
    timeouts: r.timeouts,
    seconds,
    perSecond: ok / seconds,
    latency: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, max: r.latency.max, mean: r.latency.average },
    bodyBytes,
    stopped,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
});
