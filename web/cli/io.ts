// Where CLI commands read and write: injected so tests can feed standard input and capture output
// without spawning processes.
import { readFile } from 'node:fs/promises';

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
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : String(err);
    throw new CliUsageError(`cannot read '${path}': ${why}`);
  }
}
