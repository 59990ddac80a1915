import type { CommandSpec } from './args';

/** Every command of this CLI with its flags, positionals and help text. */
export interface CommandHelp extends CommandSpec {
  usage: string;
  summary: string;
  details: string;
}

export const COMMANDS: CommandHelp[] = [
  {
    name: 'inventory',
    flags: { json: 'boolean' },
    positionals: [],
    usage: 'relayout inventory [--json]',
    summary: 'files by kind and by folder, with counts',
    details: 'Lists every file of the workspace (honouring .gitignore) classified by kind, and counts by kind and folder.',
  },
  {
    name: 'refs',
    flags: { json: 'boolean' },
    positionals: ['FILE?'],
    usage: 'relayout refs [FILE] [--json]',
    summary: 'the reference graph; with FILE, what references it and what it references',
    details:
      'Without FILE: every reference of the workspace, grouped by referring file, with needs-review items.\n' +
      'With FILE (a file or folder): the references into it (file:line and text) and the references written in it\n' +
      '(with whether each target exists).',
  },
  {
    name: 'move',
    flags: { moves: 'string', 'dry-run': 'boolean', json: 'boolean', yes: 'boolean', 'kustomize-bin': 'string' },
    positionals: ['FROM?', 'TO?'],
    usage: 'relayout move FROM TO [--dry-run] [--json] [--yes]\n       relayout move --moves FILE.json [--dry-run] [--json] [--yes]',
    summary: 'move files or folders, rewriting every reference to them',
    details:
      'Plans the moves as one batch against the tree before it and prints renames, edits, created files, conflicts\n' +
      'and needs-review items. --moves reads a JSON list [{"from": "a/b.yaml", "to": "c/b.yaml"}, ...].\n' +
      'Conflicts stop the batch with exit 1 and nothing written. --dry-run writes nothing. Without --yes a terminal\n' +
      'is asked to confirm; with no terminal, pass --yes to apply or --dry-run to preview. Before applying, a\n' +
      'baseline (broken references and kustomize renders) is written to .relayout/baseline.json for `relayout verify`.\n' +
      '--kustomize-bin PATH (or RELAYOUT_KUSTOMIZE) names the kustomize or kubectl binary for that baseline.',
  },
  {
    name: 'verify',
    flags: { baseline: 'string', json: 'boolean', format: 'string', 'kustomize-bin': 'string' },
    positionals: [],
    usage: 'relayout verify [--baseline FILE] [--json] [--format text|sarif] [--kustomize-bin PATH]',
    summary: 'no new broken references and unchanged kustomize renders since the baseline',
    details:
      'Compares the workspace with the baseline taken before the last move (default .relayout/baseline.json):\n' +
      'references broken now but not then fail, and so do references that no longer reach their moved target;\n' +
      'every kustomization root (components excluded) must render the same objects at its new location (objects that\n' +
      'differ only in moved paths they name are reported as paths-rewritten and pass). Without a baseline every\n' +
      'reference must resolve and every root must render.\n' +
      'Rendering uses kustomize or kubectl from PATH, RELAYOUT_KUSTOMIZE, or --kustomize-bin; with none it is\n' +
      'skipped, not failed. --format sarif prints a SARIF 2.1.0 log for code scanning. Exit 0 passed, 1 failed.',
  },
  {
    name: 'rollback',
    flags: { force: 'boolean' },
    positionals: [],
    usage: 'relayout rollback [--force]',
    summary: 'undo the last apply',
    details:
      'Restores every file the last apply renamed, edited or created, byte for byte, from the journal in .relayout/.\n' +
      'Refuses (exit 1) when a file the apply wrote changed since; --force rolls back anyway, losing those changes.',
  },
  {
    name: 'recover',
    flags: {},
    positionals: [],
    usage: 'relayout recover',
    summary: 'finish or undo an interrupted apply',
    details: 'When an apply was interrupted (crash, kill, full disk), puts the tree back in a consistent state.',
  },
];

/** The top-level help. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'relayout: restructure an infrastructure repository while every reference follows',
    '',
    'Usage: relayout [--root DIR] COMMAND [options]',
    '',
    'Commands:',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Global options:',
    '  --root DIR     the repository root (default: the current directory); paths are relative to it',
    '  -h, --help     this help, or a command\'s help after the command',
    '  -V, --version  the version',
    '',
    'Exit status: 0 done, 1 conflicts or verification failed, 2 bad arguments or unreadable input.',
    '--json prints one JSON document on stdout; messages go to stderr.',
  ].join('\n');
}

/** One command's help. */
export function commandHelp(command: CommandHelp): string {
  const summary = command.summary.charAt(0).toUpperCase() + command.summary.slice(1);
  return [`Usage: ${command.usage}`, '', `${summary}.`, '', command.details, '', 'Also: --root DIR, --help.'].join('\n');
}
