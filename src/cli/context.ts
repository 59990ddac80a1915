import type { ParsedArgs } from './args';
import type { CliIo } from './io';

/** What every command runner receives. */
export interface CommandContext {
  io: CliIo;
  args: ParsedArgs;
  /** The absolute, existing repository root. */
  rootAbs: string;
}
