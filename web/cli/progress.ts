// Progress on stderr for long commands (fit, the analysis after it, optimize --data): a one-line
// bar redrawn in place on a terminal, plain throttled lines otherwise (logs, CI, schedulers), and
// nothing with --quiet. stdout is never touched, so `--json` output stays pure JSON.
//
// Written here rather than taken from a progress-bar package: those redraw from timers, and the
// engine's calls run synchronously on this thread (a fit slice, the whole analysis), so a timer
// would never fire while there is something to show; drawing on each update needs no timer at all.
import type { CliIo } from './io';

export interface Progress {
  /** A stage with a known amount of work (`done` of `total`); `detail` follows the percentage. */
  update(done: number, total: number, detail: string): void;
  /** A milestone: always shown, on its own line. */
  note(text: string): void;
  /** Clears a bar left on the terminal (before an error message or the command's output). */
  end(): void;
}

export interface ProgressOptions {
  quiet: boolean;
  /** Prefix of every line, e.g. 'fit'. */
  label: string;
  /** Seconds between plain lines (not on a terminal). */
  lineInterval?: number;
  /** Clock in seconds (tests pass their own). */
  now?: () => number;
}

const BAR_WIDTH = 24;
const REDRAWS_PER_SECOND = 10;

export function createProgress(io: CliIo, options: ProgressOptions): Progress {
  if (options.quiet) return { update() {}, note() {}, end() {} };
  const now = options.now ?? (() => performance.now() / 1000);
  const label = options.label;
  const terminal = io.stderrTerminal;
  let lastDraw = -Infinity;
  let barShown = false;

  const percent = (done: number, total: number) => (total > 0 ? Math.min(100, Math.max(0, (100 * done) / total)) : 0);

  if (terminal) {
    const clearBar = () => {
      if (barShown) terminal.write('\r\x1b[K');
      barShown = false;
    };
    return {
      update(done, total, detail) {
        const t = now();
        if (t - lastDraw < 1 / REDRAWS_PER_SECOND && done < total) return;
        lastDraw = t;
        const p = percent(done, total);
        const filled = Math.round((p / 100) * BAR_WIDTH);
        const text = `${label} [${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${p.toFixed(0).padStart(3)}%  ${detail}`;
        terminal.write(`\r${text.slice(0, Math.max(10, terminal.columns - 1))}\x1b[K`);
        barShown = true;
      },
      note(text) {
        clearBar();
        terminal.write(`${label}: ${text}\n`);
        lastDraw = -Infinity;
      },
      end: clearBar,
    };
  }

  const interval = options.lineInterval ?? 2;
  return {
    update(done, total, detail) {
      const t = now();
      // The first update and the last always print, so even a short run shows its stages.
      if (t - lastDraw < interval && done < total && lastDraw !== -Infinity) return;
      lastDraw = t;
      io.stderr(`${label}: ${percent(done, total).toFixed(0)}%  ${detail}`);
    },
    note(text) {
      io.stderr(`${label}: ${text}`);
    },
    end() {},
  };
}
