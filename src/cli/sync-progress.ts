import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import type { Source } from '../cases/case.model.js';
import type { SyncProgress } from '../sync/sync.service.js';

export interface ProgressReporter {
  update(progress: SyncProgress): void;
  stop(): void;
}

/** A bar per source on a terminal. */
class BarReporter implements ProgressReporter {
  private readonly multi = new MultiBar(
    {
      format: ' {source} |{bar}| {value}/{total} {phase}',
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
    },
    Presets.shades_classic,
  );
  private readonly bars = new Map<Source, SingleBar>();

  update(p: SyncProgress): void {
    let bar = this.bars.get(p.source);
    const total = p.total ?? Math.max(p.fetched, 1);
    if (!bar) {
      bar = this.multi.create(total, 0, { source: p.source.padEnd(8), phase: p.phase });
      this.bars.set(p.source, bar);
    }
    bar.setTotal(Math.max(total, p.fetched));
    bar.update(p.fetched, { phase: p.phase });
  }

  stop(): void {
    this.multi.stop();
  }
}

/** Log lines elsewhere: on every phase change, and at most every two seconds while listing. */
class LineReporter implements ProgressReporter {
  private readonly last = new Map<Source, { phase: string; at: number }>();

  update(p: SyncProgress): void {
    const previous = this.last.get(p.source);
    const now = Date.now();
    if (previous && previous.phase === p.phase && now - previous.at < 2000) return;
    this.last.set(p.source, { phase: p.phase, at: now });
    const of = p.total !== undefined ? `/${p.total}` : '';
    process.stderr.write(`${p.source}: ${p.phase} ${p.fetched}${of}\n`);
  }

  stop(): void {}
}

export function progressReporter(): ProgressReporter {
  return process.stderr.isTTY ? new BarReporter() : new LineReporter();
}
