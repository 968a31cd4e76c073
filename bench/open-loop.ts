// A constant-rate load: one request every 1/rate seconds, each sent when it is due whether or not earlier
// ones were answered, its latency counted from when it was due (so a late sender counts against the
// server, never for it). autocannon's `overallRate` is not this: each of its connections sends its quota
// for the second back to back when its one-second timer fires, and the timers of all connections start
// together, so 100/s arrives as one burst of 100 at the top of every second; and it then "corrects" each
// latency for coordinated omission with an expected interval of ceil(1 / per-connection rate) = 1 ms,
// recording a 90 ms answer as 90 answers of 90, 89, ... 1 ms (node_modules/autocannon/lib/httpClient.js,
// `rateInterval`; lib/run.js, `recordValueWithExpectedInterval`).
import { Pool } from "undici";

export interface OpenLoopRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface OpenLoopResult {
  sent: number;
  /** Answered with a 2xx. */
  answered: number;
  /** Refused, failed or timed out. */
  errors: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Sends `rate` requests a second for `seconds` to `origin` over up to `connections` keep-alive
 * connections, and waits for every answer (or its timeout).
 *
 * @example
 * const result = await openLoop({ origin: "http://127.0.0.1:3000", rate: 100, seconds: 30, request: (i) => signed(i), onAnswer: (status, body) => … });
 */
export async function openLoop(options: {
  origin: string;
  rate: number;
  seconds: number;
  connections?: number;
  timeoutMs?: number;
  request: (sequence: number) => OpenLoopRequest;
  onAnswer?: (status: number, body: string) => void;
}): Promise<OpenLoopResult> {
  const { rate, seconds, connections = 50, timeoutMs = 10_000 } = options;
  const pool = new Pool(options.origin, { connections, pipelining: 1, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const latencies: number[] = [];
  let answered = 0;
  let errors = 0;
  const send = async (sequence: number, due: number) => {
    try {
      const { path, headers, body } = options.request(sequence);
      const response = await pool.request({ origin: options.origin, path, method: "POST", headers, body });
      const text = await response.body.text();
      latencies.push(performance.now() - due);
      if (response.statusCode >= 200 && response.statusCode < 300) answered += 1;
      else errors += 1;
      options.onAnswer?.(response.statusCode, text);
    } catch {
      errors += 1;
    }
  };

  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const start = performance.now() + 20;
  const inFlight: Promise<void>[] = [];
  for (let sequence = 0; sequence < total; sequence++) {
    const due = start + sequence * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(send(sequence, due));
  }
  await Promise.all(inFlight);
  const elapsedS = (performance.now() - start) / 1000;
  await pool.close();

  latencies.sort((a, b) => a - b);
  const at = (fraction: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.ceil(fraction * latencies.length) - 1)] ?? 0);
  return { sent: total, answered, errors, requestsPerSecond: answered / elapsedS, p50: at(0.5), p99: at(0.99), max: Math.round(latencies.at(-1) ?? 0) };
}
