// Where CLI commands write: injected so tests can capture output without spawning processes.
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** Parses `--flag value` / `--flag=value` / `--switch` options and positional arguments. */
export function parseArgs(argv: string[], switches: string[] = []): { positional: string[]; options: Map<string, string> } {
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    if (eq > 0) options.set(a.slice(2, eq), a.slice(eq + 1));
    else if (switches.includes(a.slice(2))) options.set(a.slice(2), 'true');
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new CliUsageError(`option ${a} needs a value`);
      options.set(a.slice(2), value);
      i++;
    }
  }
  return { positional, options };
}

export class CliUsageError extends Error {}
