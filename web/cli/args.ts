// Every command's arguments go through here: node:util parseArgs in strict mode, so an unknown or
// misspelt option is an error naming the nearest valid one instead of being silently ignored
// (`fit --holdout 8` used to run with the default holdout). -h/--help is declared for every
// command; typed getters give one wording for every range error.
import { parseArgs } from 'node:util';
import leven from 'leven';
import { CliUsageError, type CliIo } from './io';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
}

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** The command's name, as typed after `mmm-studio`. */
  name: string;
  usage: string;
  options: O;
  /** How many positional arguments the command takes, and what they are (for the message). */
  positionals: { min: number; max: number; what: string };
}

/** The declared option nearest to an unknown one: one that begins with it or that it begins with
 * (`--holdout` → `--holdout-weeks`, `--output` → `--out`), else the closest by edit distance when
 * that is small for its length. */
export function nearestOption(unknown: string, declared: string[]): string | undefined {
  const u = unknown.replace(/^-+/, '').toLowerCase();
  if (!u) return undefined;
  const byLength = (a: string, b: string) => Math.abs(a.length - u.length) - Math.abs(b.length - u.length);
  const extending = declared.filter((d) => Math.min(d.length, u.length) >= 2 && (d.startsWith(u) || u.startsWith(d))).sort(byLength);
  if (extending.length) return extending[0];
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const d of declared) {
    const distance = leven(u, d);
    if (distance < bestDistance) (best = d), (bestDistance = distance);
  }
  // Two edits (a swapped pair of letters) or a third of the name, but never all of a short name.
  return bestDistance <= Math.max(2, Math.floor(u.length / 3)) && bestDistance < u.length ? best : undefined;
}

/** The option the user typed that is not declared (parseArgs' error names it only in prose). */
function firstUnknownOption(argv: string[], declared: Record<string, OptionSpec>): string | undefined {
  const { tokens } = parseArgs({ args: argv, options: declared, strict: false, allowPositionals: true, tokens: true });
  const token = tokens.find((t) => t.kind === 'option' && !Object.hasOwn(declared, t.name));
  return token?.kind === 'option' ? token.rawName : undefined;
}

type Values<O extends Record<string, OptionSpec>> = { [K in keyof O]?: O[K]['type'] extends 'boolean' ? boolean : string };

/** Parsed, checked arguments with typed getters whose errors name the option and the rule. */
export class CommandArgs<O extends Record<string, OptionSpec>> {
  constructor(
    readonly positional: string[],
    private readonly values: Values<O>,
  ) {}

  /** Whether the option was given at all. */
  has(name: keyof O & string): boolean {
    return this.values[name] !== undefined;
  }

  flag(name: keyof O & string): boolean {
    return this.values[name] === true;
  }

  string(name: keyof O & string): string | undefined {
    const v = this.values[name];
    return typeof v === 'string' ? v : undefined;
  }

  /** A comma-separated list (`--media TV,Search`), blanks dropped. */
  list(name: keyof O & string): string[] | undefined {
    return this.string(name)
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  number(name: keyof O & string, min: number, max: number, integer = false): number | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n)))
      throw new CliUsageError(`--${name} must be ${integer ? 'a whole number' : 'a number'} from ${min} to ${max} (got '${v}')`);
    return n;
  }

  int(name: keyof O & string, min: number, max: number): number | undefined {
    return this.number(name, min, max, true);
  }

  choice<C extends string>(name: keyof O & string, allowed: readonly C[]): C | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) throw new CliUsageError(`--${name} must be ${allowed.map((a) => `'${a}'`).join(', ').replace(/, ([^,]*)$/, ' or $1')} (got '${v}')`);
    return v as C;
  }
}

function strictParse(argv: string[], options: Record<string, OptionSpec>, usage: string) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals: true });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const unknown = firstUnknownOption(argv, options) ?? '?';
      const near = nearestOption(unknown, Object.keys(options));
      throw new CliUsageError(`unknown option '${unknown}'${near ? `; did you mean '--${near}'?` : ''}`, usage);
    }
    throw new CliUsageError(err instanceof Error ? err.message : String(err), usage);
  }
}

/**
 * Parses a command's arguments strictly. Returns null after printing the usage on stdout for
 * -h/--help (which wins over any other mistake on the line); throws a CliUsageError carrying the
 * usage for an unknown option, a missing or unexpected value, or the wrong number of positionals.
 */
export function parseCommandArgs<O extends Record<string, OptionSpec>>(argv: string[], spec: CommandSpec<O>, io: CliIo): CommandArgs<O> | null {
  const options = { ...spec.options, help: { type: 'boolean', short: 'h' } } as const satisfies Record<string, OptionSpec>;
  const beforeTerminator = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (beforeTerminator.includes('-h') || beforeTerminator.includes('--help')) {
    io.stdout(spec.usage);
    return null;
  }
  const { positionals, values } = strictParse(argv, options, spec.usage);
  const { min, max, what } = spec.positionals;
  if (positionals.length < min || positionals.length > max) {
    const got = positionals.length ? `${positionals.length}: ${positionals.map((p) => `'${p}'`).join(' ')}` : 'none';
    throw new CliUsageError(`expected ${what} (got ${got})`, spec.usage);
  }
  return new CommandArgs<O>(positionals, values as Values<O>);
}
