// Where CLI commands read and write: injected so tests can feed standard input and capture output
// without spawning processes.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

export interface CliIo {
  /** One line (or block) of the command's result. */
  stdout(text: string): void;
  /** One line (or block) of messages: errors, progress, notes. */
  stderr(text: string): void;
  /** Standard input, read to its end (for '-' as a file name). Absent: there is none to read. */
  stdin?(): Promise<Uint8Array>;
  /** Set when stderr is a terminal: writes as is (no newline added), so a progress bar can be
   * redrawn in place with '\r'. */
  stderrTerminal?: { write(text: string): void; columns: number };
}

const line = (t: string) => (t.endsWith('\n') ? t : `${t}\n`);

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(line(t)),
  stderr: (t) => process.stderr.write(line(t)),
  async stdin() {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    const all = Buffer.concat(chunks);
    return new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
  },
  stderrTerminal: process.stderr.isTTY
    ? {
        write: (t) => process.stderr.write(t),
        get columns() {
          return process.stderr.columns || 80;
        },
      }
    : undefined,
};

/** A usage mistake (exit 2). `usage`, when given, is the command's usage, printed after the
 * message on stderr. */
export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
  }
}

/** The name a file argument shows in messages and bundles: '-' is standard input. */
export const inputName = (path: string) => (path === '-' ? 'standard input' : path);

/** Reads a file argument whole; '-' reads standard input. Unreadable files are usage errors
 * naming the file and the reason. */
export async function readInput(path: string, io: CliIo): Promise<Uint8Array> {
  if (path === '-') {
    if (!io.stdin) throw new CliUsageError("'-' reads standard input, but there is none here");
    return io.stdin();
  }
  try {
    const bytes = await readFile(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } catch (err) {
    throw new CliUsageError(`cannot read '${path}': ${fsReason(err)}`);
  }
}

/** Writes a result file; a failure is a usage error naming the file and why. */
export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (err) {
    throw new CliUsageError(`cannot write '${path}': ${fsReason(err)}`);
  }
}

/** Creates an output folder and its missing parents, one at a time: mkdirSync's `recursive`
 * loops forever where a parent refuses new entries with ENOENT (e.g. under /proc). */
export function makeOutputDir(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); !existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new CliUsageError(`cannot create the folder '${dir}': ${fsReason(err)}`);
    }
  }
}

function fsReason(err: unknown): string {
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or folder',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is a file, not a folder',
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on the device',
    EEXIST: 'a file of that name exists',
  };
  const code = (err as NodeJS.ErrnoException).code;
  return (code && reasons[code]) ?? (err instanceof Error ? err.message : String(err));
}
