/** Hand-rolled argument parsing: global flags anywhere, a command, then that command's flags and positionals. */

export type FlagType = 'boolean' | 'string';

/** What a command accepts. */
export interface CommandSpec {
  name: string;
  flags: Record<string, FlagType>;
  /** Names of positional arguments, for messages; `?` marks an optional one. */
  positionals: string[];
}

export interface ParsedArgs {
  command: string | undefined;
  /** `--root DIR`. */
  root: string | undefined;
  help: boolean;
  version: boolean;
  /** Command flags by name (without `--`): `true` for booleans, the value for strings. */
  flags: Map<string, string | true>;
  positionals: string[];
}

/** Bad command-line input: the CLI prints the message on one line and exits with status 2. */
export class UsageError extends Error {}

const GLOBAL_FLAGS: Record<string, FlagType> = { root: 'string', help: 'boolean', version: 'boolean' };
const SHORT_FLAGS: Record<string, string> = { h: 'help', V: 'version', y: 'yes', o: 'output' };

/**
 * Parses `argv` (without `node` and the script). `commands` lists the known commands; flags before the command may
 * only be global ones. Throws `UsageError` naming the offending token.
 */
export function parseArgs(argv: readonly string[], commands: readonly CommandSpec[]): ParsedArgs {
  const parsed: ParsedArgs = { command: undefined, root: undefined, help: false, version: false, flags: new Map(), positionals: [] };
  let spec: CommandSpec | undefined;
  let onlyPositionals = false;
  for (let index = 0; index < argv.length; index++) {
    const token = argv[index];
    if (onlyPositionals || !token.startsWith('-') || token === '-') {
      if (spec === undefined) {
        spec = commands.find((command) => command.name === token);
        if (spec === undefined) throw new UsageError(`unknown command '${token}' (commands: ${commands.map((c) => c.name).join(', ')})`);
        parsed.command = token;
      } else {
        parsed.positionals.push(token);
      }
      continue;
    }
    if (token === '--') {
      onlyPositionals = true;
      continue;
    }
    const { name, inlineValue } = splitFlag(token);
    const where = spec ? ` for '${spec.name}'` : '';
    const type = GLOBAL_FLAGS[name] ?? spec?.flags[name];
    if (type === undefined) throw new UsageError(`unknown flag ${token}${where}`);
    let value: string | true = true;
    if (type === 'string') {
      if (inlineValue !== undefined) value = inlineValue;
      else if (index + 1 < argv.length) value = argv[++index];
      else throw new UsageError(`flag --${name} needs a value`);
      if (value === '') throw new UsageError(`flag --${name} needs a non-empty value`);
    } else if (inlineValue !== undefined) {
      throw new UsageError(`flag --${name} takes no value`);
    }
    if (name === 'root') parsed.root = value as string;
    else if (name === 'help') parsed.help = true;
    else if (name === 'version') parsed.version = true;
    else if (parsed.flags.has(name)) throw new UsageError(`flag --${name} given twice`);
    else parsed.flags.set(name, value);
  }
  if (spec !== undefined && !parsed.help) checkPositionals(spec, parsed.positionals);
  return parsed;
}

/** A string flag's value, if given. */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags.get(name);
  return typeof value === 'string' ? value : undefined;
}

/** Whether a boolean flag was given. */
export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags.get(name) === true;
}

function splitFlag(token: string): { name: string; inlineValue: string | undefined } {
  if (!token.startsWith('--')) {
    const long = SHORT_FLAGS[token.slice(1)];
    if (long === undefined || token.length !== 2) throw new UsageError(`unknown flag ${token}`);
    return { name: long, inlineValue: undefined };
  }
  const equals = token.indexOf('=');
  return equals < 0 ? { name: token.slice(2), inlineValue: undefined } : { name: token.slice(2, equals), inlineValue: token.slice(equals + 1) };
}

function checkPositionals(spec: CommandSpec, positionals: string[]): void {
  const required = spec.positionals.filter((name) => !name.endsWith('?'));
  if (positionals.length > spec.positionals.length) {
    throw new UsageError(`unexpected argument '${positionals[spec.positionals.length]}' for '${spec.name}'`);
  }
  if (positionals.length < required.length) {
    throw new UsageError(`'${spec.name}' needs ${required.slice(positionals.length).join(' and ')}`);
  }
}
