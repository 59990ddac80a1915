/**
 * Moves into a git-ignored or excluded place: the file would silently leave the repository (and `git add` of the
 * rename would fail), so such a move is a conflict found before anything is written.
 */
import type { Conflict, FileSource, IgnoreReason, Move } from '../types';

/**
 * One conflict per ignore rule that destinations of `renames` fall under (a folder moved into `build/` is one
 * conflict, not one per file); none when the source cannot tell.
 */
export function ignoredTargetConflicts(renames: readonly Move[], source: FileSource): Conflict[] {
  if (!source.ignoredBy) return [];
  const byRule = new Map<string, { rename: Move; reason: IgnoreReason; others: number }>();
  for (const rename of renames) {
    const reason = source.ignoredBy(rename.to);
    if (!reason) continue;
    const rule = `${reason.file}\0${reason.line ?? ''}\0${reason.pattern}`;
    const first = byRule.get(rule);
    if (first) first.others++;
    else byRule.set(rule, { rename, reason, others: 0 });
  }
  return [...byRule.values()].map(({ rename, reason, others }) => ({
    path: rename.to,
    reason:
      `cannot move ${rename.from} to ${rename.to}: ${rename.to} is ${describe(reason)}` +
      (others > 0 ? `, as are the destinations of ${others} more file${others === 1 ? '' : 's'} of the batch` : ''),
  }));
}

function describe(reason: IgnoreReason): string {
  if (reason.line === undefined) return `excluded by ${reason.file} (${reason.pattern})`;
  return `ignored by ${reason.file} (line ${reason.line}: ${reason.pattern})`;
}
