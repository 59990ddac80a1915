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
    name: 'plan',
    flags: { plan: 'string', phase: 'string', json: 'boolean' },
    positionals: [],
    usage: 'relayout plan [--plan FILE] [--phase ID] [--json]',
    summary: 'what the plan would move and edit, per phase and step; writes nothing',
    details:
      'Compiles the plan (default relayout.yaml; with none, the bundled Bakery-IA plan for a workspace shaped like\n' +
      'its proposal) against the tree and plans its pending moves as one batch: per phase and step the files and\n' +
      'folders to move, the reference edits per file, created files, conflicts and needs-review items.\n' +
      'Plan problems print as file:line:col; an error is exit 2. Conflicts are exit 1.',
  },
  {
    name: 'apply',
    flags: { plan: 'string', phase: 'string', step: 'string', all: 'boolean', 'dry-run': 'boolean', yes: 'boolean', 'kustomize-bin': 'string' },
    positionals: [],
    usage: 'relayout apply [--plan FILE] (--phase ID | --step ID | --all) [--dry-run] [--yes] [--kustomize-bin PATH]',
    summary: 'carry out plan steps in order, recording them in .relayout/state.json',
    details:
      'Runs the steps of a phase, one step, or every step, in plan order. With --phase or --all, steps already done\n' +
      '(move steps: their files are at their destination) are skipped; --step runs its step again. The run stops at\n' +
      'the first step that fails (a conflict, a failed validation); a failed step leaves nothing behind. Reports go\n' +
      'to .relayout/reports/. Needs the plan file (run `relayout init` or `relayout import-proposal DOC.md`).\n' +
      'Without --yes a terminal is asked to confirm; with no terminal, pass --yes or --dry-run. Exit 1 when a step\n' +
      'failed.',
  },
  {
    name: 'status',
    flags: { plan: 'string', json: 'boolean' },
    positionals: [],
    usage: 'relayout status [--plan FILE] [--json]',
    summary: 'phase and step progress',
    details:
      'Per phase and step: its state from .relayout/state.json (times, result, reports) and, for move steps, the files\n' +
      'at their destination measured in the tree, so it stays true after a pull, a manual move or an undo.',
  },
  {
    name: 'rollback',
    flags: { force: 'boolean', plan: 'string', step: 'string' },
    positionals: [],
    usage: 'relayout rollback [--step BACKUP-STEP] [--force]',
    summary: 'undo the last plan step, or the last apply',
    details:
      'Undoes the last plan step: a move step through its journal (byte for byte), a backup step by restoring the\n' +
      'tree to the backup (and with it every later step), any other step by removing what it wrote. When a\n' +
      '`relayout move` came after the last step, or no step ran, undoes that apply instead. --step names a backup\n' +
      'step to return to from any later point.\n' +
      'Refuses (exit 1) when a file it wrote changed since; --force rolls back anyway, losing those changes.',
  },
  {
    name: 'recover',
    flags: {},
    positionals: [],
    usage: 'relayout recover',
    summary: 'finish or undo an interrupted apply',
    details: 'When an apply was interrupted (crash, kill, full disk), puts the tree back in a consistent state.',
  },
  {
    name: 'import-proposal',
    flags: { output: 'string', force: 'boolean' },
    positionals: ['DOC.md'],
    usage: 'relayout import-proposal DOC.md [-o relayout.yaml] [--force]',
    summary: 'a plan drafted from a Markdown proposal',
    details:
      'Reads the proposed tree, the current → proposed mapping and the migration phases of the proposal and writes a\n' +
      'plan (default relayout.yaml). What it cannot map becomes a comment in the plan and a note on stderr.\n' +
      'Refuses to overwrite an existing file without --force.',
  },
  {
    name: 'init',
    flags: { output: 'string', force: 'boolean' },
    positionals: [],
    usage: 'relayout init [-o relayout.yaml] [--force]',
    summary: 'write the bundled Bakery-IA plan',
    details: 'For a workspace whose infrastructure/ is shaped like the Bakery-IA proposal. Refuses to overwrite without --force.',
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
