/** The validate step's report: a verification against the baseline, as Markdown. */
import { formatObjectId } from '../verify/objects';
import type { BrokenReference } from '../verify/broken';
import type { VerifyReport } from '../verify/verify';

/**
 * The report; `reported`, when given, tells the broken references a move step already reported as needs-review (a person fixes
 * those) from the ones nobody was told about (the step fails on those).
 */
export function validationReport(report: VerifyReport, reported?: (ref: BrokenReference) => boolean): string {
  const refs = report.references;
  const lines = [`# Validation against the baseline`, ''];
  lines.push(report.baselineCreatedAt ? `Compared with the baseline of ${report.baselineCreatedAt}.` : 'No baseline: every reference must resolve and every root must render.', '');
  lines.push('## References', '');
  lines.push(`- ${refs.introduced.length} newly broken`, `- ${refs.lost.length} no longer reaching their moved target`, `- ${refs.preExisting.length} broken before (pre-existing)`, `- ${refs.fixed.length} fixed`, '');
  const mark = (ref: BrokenReference): string => (reported === undefined ? 'unchecked' : reported(ref) ? 'needs review (reported)' : 'UNREPORTED');
  for (const ref of refs.introduced) lines.push(`- broken, ${mark(ref)}: ${ref.from}:${ref.line}:${ref.column} ${ref.kind} ${ref.text} → ${ref.target}`);
  for (const ref of refs.lost) lines.push(`- stale, ${mark(ref)}: ${ref.from}:${ref.line}:${ref.column} ${ref.kind} ${ref.text} (should reach ${ref.target})`);
  lines.push('', '## Kustomize renders', '');
  if (report.renders.status === 'skipped') {
    lines.push(`Skipped: ${report.renders.reason}.`);
  } else {
    lines.push('| root | status | objects | was |', '|---|---|---:|---|');
    for (const root of report.renders.roots) {
      lines.push(`| ${root.dir || '.'} | ${root.status} | ${root.objectCount ?? ''} | ${root.baselineDir ?? ''} |`);
    }
    for (const root of report.renders.roots) {
      if (root.diff && root.status === 'changed') {
        lines.push('', `### ${root.dir} changed`, '');
        for (const id of root.diff.added) lines.push(`- added ${formatObjectId(id)}`);
        for (const id of root.diff.removed) lines.push(`- removed ${formatObjectId(id)}`);
        for (const object of root.diff.modified) lines.push(`- modified ${formatObjectId(object)} (${object.fields.join(', ')})`);
      }
      if (root.error !== undefined && root.status === 'failed') lines.push('', `### ${root.dir} fails to render`, '', '```', root.error, '```');
    }
  }
  for (const warning of report.warnings) lines.push('', `Warning: ${warning}`);
  lines.push('');
  return lines.join('\n');
}
