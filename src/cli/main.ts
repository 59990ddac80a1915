import { RELAYOUT_VERSION } from '../core/verify/baseline';
import { parseArgs, UsageError, type ParsedArgs } from './args';
import type { CommandContext } from './context';
import { COMMANDS, commandHelp, mainHelp } from './help';
import { runApply } from './apply';
import { runImportProposal, runInit } from './importProposal';
import { runInventory } from './inventory';
import { err, EXIT_FAILED, EXIT_OK, EXIT_USAGE, out, type CliIo } from './io';
import { interruptedApplyMessage } from './journal';
import { runMove } from './move';
import { runPlan } from './plan';
import { runRefs } from './refs';
import { runStatus } from './status';
import { runRecover, runRollback } from './undo';
import { runVerify } from './verify';
import { resolveRoot } from './workspace';

type Runner = (context: CommandContext) => Promise<number>;

const RUNNERS: Record<string, Runner> = {
  inventory: runInventory,
  refs: runRefs,
  move: runMove,
  verify: runVerify,
  rollback: runRollback,
  recover: runRecover,
  plan: runPlan,
  apply: runApply,
  status: runStatus,
  'import-proposal': runImportProposal,
  init: runInit,
};

/** Commands that must not run while an apply is interrupted: they would write over a half-applied tree. */
const BLOCKED_BY_INTERRUPTED_APPLY = new Set(['move', 'rollback', 'apply']);

/** Runs the `relayout` command line in-process and resolves to its exit status. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, COMMANDS);
  } catch (error) {
    return usageFailure(io, error);
  }
  if (args.version) {
    out(io, RELAYOUT_VERSION);
    return EXIT_OK;
  }
  const spec = COMMANDS.find((command) => command.name === args.command);
  if (spec === undefined) {
    if (args.help) {
      out(io, mainHelp());
      return EXIT_OK;
    }
    err(io, 'relayout: missing command (run relayout --help)');
    return EXIT_USAGE;
  }
  if (args.help) {
    out(io, commandHelp(spec));
    return EXIT_OK;
  }
  try {
    const rootAbs = resolveRoot(io, args.root);
    if (spec.name !== 'recover') {
      const interrupted = interruptedApplyMessage(rootAbs);
      if (interrupted !== undefined) {
        err(io, `relayout: ${interrupted}`);
        if (BLOCKED_BY_INTERRUPTED_APPLY.has(spec.name)) return EXIT_FAILED;
      }
    }
    return await RUNNERS[spec.name]({ io, args, rootAbs });
  } catch (error) {
    return usageFailure(io, error);
  }
}

function usageFailure(io: CliIo, error: unknown): number {
  if (error instanceof UsageError) {
    err(io, `relayout: ${error.message}`);
    return EXIT_USAGE;
  }
  // Anything else escaped the engine: say so plainly; the stack helps a bug report.
  err(io, `relayout: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return EXIT_USAGE;
}

if (require.main === module) {
  // A reader that stops early (`relayout refs | head`) closes the pipe: the rest of the output has nowhere to go, and
  // the command still finishes what it was doing (an apply must never stop half-way because its report is unread).
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
    });
  }
  void runCli(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    isTTY: Boolean(process.stdin.isTTY && process.stderr.isTTY),
    cwd: process.cwd(),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
