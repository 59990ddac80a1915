import type { MovePlan, Reference, ReviewItem } from '../core/types';
import { formatObjectId } from '../core/verify/objects';
import type { RootComparison, VerifyReport } from '../core/verify/verify';

/** The human summary of a move plan: renames, edits, created files, relinks, conflicts, needs-review items. */
export function formatPlan(plan: MovePlan): string[] {
  const lines: string[] = [];
  section(lines, 'Renames', plan.renames, (rename) => `${rename.from} → ${rename.to}`);
  section(
    lines,
    'Edits',
    plan.edits,
    (edit) => `${edit.file}:${edit.line}  ${shown(edit.oldText)} → ${shown(edit.newText)}  (${edit.kind}, ${edit.confidence})`,
  );
  section(lines, 'Created files', plan.creates, (create) => `${create.path}  (${create.reason})`);
  section(lines, 'Symlinks re-pointed', plan.relinks, (relink) => `${relink.path} → ${relink.linkText}`);
  section(lines, 'Conflicts', plan.conflicts, (conflict) => `${conflict.path}${conflict.line ? `:${conflict.line}` : ''}  ${conflict.reason}`);
  section(lines, 'Needs review', plan.review, formatReview);
  return lines;
}

/** `file:line:col  text  reason`. */
export function formatReview(item: ReviewItem): string {
  return `${item.file}:${item.line}:${item.column}  ${firstLineOf(item.text)}  ${item.reason}`;
}

/** A review item can span lines (a whole ASCII tree diagram); one line per item keeps the listing readable. */
function firstLineOf(text: string): string {
  const end = text.search(/\r?\n/);
  return end < 0 ? text : `${text.slice(0, end)} …`;
}

/** `file:line:col  kind  text → target`, marked when the target is missing. */
export function formatReference(ref: Reference, exists: boolean | undefined): string {
  const status = exists === undefined ? '' : exists ? '' : '  (missing)';
  return `${ref.from}:${ref.line}:${ref.column}  ${ref.kind}  ${ref.text} → ${ref.target || '.'}${status}  [${ref.confidence}]`;
}

/** The human report of a verification. */
export function formatVerifyReport(report: VerifyReport): string[] {
  const lines: string[] = [];
  const refs = report.references;
  if (report.baselineCreatedAt === undefined) {
    lines.push(`References: ${refs.introduced.length} broken (no baseline to compare with)`);
  } else {
    lines.push(
      `References: ${refs.introduced.length} newly broken, ${refs.preExisting.length} broken before (pre-existing), ` +
        `${refs.fixed.length} fixed, compared with the baseline of ${report.baselineCreatedAt}`,
    );
  }
  for (const ref of refs.introduced) lines.push(`  broken  ${ref.from}:${ref.line}:${ref.column}  ${ref.kind}  ${ref.text} → ${ref.target} (missing)`);
  if (refs.lost.length > 0) lines.push(`References left stale (${refs.lost.length}): they reached their target before the change`);
  for (const ref of refs.lost) lines.push(`  stale   ${ref.from}:${ref.line}:${ref.column}  ${ref.kind}  ${ref.text} (should reach ${ref.target})`);
  for (const ref of refs.preExisting) lines.push(`  pre-existing  ${ref.from}:${ref.line}:${ref.column}  ${ref.kind}  ${ref.text}`);
  if (report.renders.status === 'skipped') {
    lines.push(`Renders: skipped: ${report.renders.reason}`);
  } else {
    const counts = new Map<string, number>();
    for (const root of report.renders.roots) counts.set(root.status, (counts.get(root.status) ?? 0) + 1);
    lines.push(`Renders: ${[...counts].map(([status, count]) => `${count} ${status}`).join(', ') || 'no kustomization roots'}`);
    for (const root of report.renders.roots) lines.push(...formatRoot(root));
  }
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  lines.push(report.passed ? 'verify: passed' : 'verify: FAILED');
  return lines;
}

function formatRoot(root: RootComparison): string[] {
  const where = root.baselineDir !== undefined ? `${root.dir} (was ${root.baselineDir})` : root.dir || '.';
  const count = root.objectCount !== undefined ? `  ${root.objectCount} objects` : '';
  const head = `  ${root.status.padEnd(15)} ${where}${count}`;
  if (root.diff) {
    return [
      head,
      ...root.diff.added.map((id) => `      added    ${formatObjectId(id)}`),
      ...root.diff.removed.map((id) => `      removed  ${formatObjectId(id)}`),
      ...root.diff.modified.map((object) => `      modified ${formatObjectId(object)} (${object.fields.join(', ')})`),
    ];
  }
  if (root.error !== undefined) return [head, ...root.error.split('\n').map((line) => `      ${line}`)];
  return [head];
}

/** Text as written, or JSON-quoted when it would not read well on one line (empty, line breaks, edge spaces). */
function shown(text: string): string {
  return text === '' || /[\r\n\t]/.test(text) || text.trim() !== text ? JSON.stringify(text) : text;
}

function section<T>(lines: string[], title: string, items: readonly T[], format: (item: T) => string): void {
  lines.push(`${title} (${items.length})${items.length > 0 ? ':' : ''}`);
  for (const item of items) lines.push(`  ${format(item)}`);
}
