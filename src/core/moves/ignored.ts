/**
 * Moves into a git-ignored or excluded place: the file would silently leave the repository (and `git add` of the
 * rename would fail), so such a move is a conflict found before anything is written.
 */
import type { Conflict, FileSource, IgnoreReason, Move } from '../types';

/** One conflict per rename whose destination `source` reports as ignored; none when the source cannot tell. */
export function ignoredTargetConflicts(renames: readonly Move[], source: FileSource): Conflict[] {
  if (!source.ignoredBy) return [];
  const conflicts: Conflict[] = [];
  for (const rename of renames) {
    const reason = source.ignoredBy(rename.to);
    if (reason) conflicts.push({ path: rename.to, reason: `cannot move ${rename.from} to ${rename.to}: ${rename.to} is ${describe(reason)}` });
  }
  return conflicts;
}

function describe(reason: IgnoreReason): string {
  if (reason.line === undefined) return `excluded by ${reason.file} (${reason.pattern})`;
  return `ignored by ${reason.file} (line ${reason.line}: ${reason.pattern})`;
}
