import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';

/**
 * How long the server held answers and flags: from the event's handling to its ack, the wait for
 * the group commit included. A client's own figure adds the network and its own event loop; on a
 * machine whose CPU the server shares, this one tells the two apart.
 */
export class AckTimes {
  private histogram: RecordableHistogram = createHistogram();

  /** `respond`, recording the time until it is called (in microseconds: the histogram takes integers). */
  timed<A extends unknown[]>(respond: (...args: A) => void): (...args: A) => void {
    const t0 = performance.now();
    return (...args) => {
      this.histogram.record(Math.max(1, Math.round((performance.now() - t0) * 1000)));
      respond(...args);
    };
  }

  /** The figures since the previous read, in ms; the count starts again. */
  take(): { count: number; p50: number; p99: number; max: number } {
    const h = this.histogram;
    const ms = (us: number) => Math.round(us / 10) / 100;
    const out = h.count === 0 ? { count: 0, p50: 0, p99: 0, max: 0 } : { count: h.count, p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
    h.reset();
    return out;
  }
}
