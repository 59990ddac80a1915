import { RELAYOUT_VERSION } from './baseline';
import { formatObjectId, type ObjectDiff } from './objects';
import type { RootComparison, VerifyReport } from './verify';

/** The subset of SARIF 2.1.0 Relayout writes. */
export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: { name: string; version: string; rules: SarifRule[] } };
  originalUriBaseIds: Record<string, { description: { text: string } }>;
  results: SarifResult[];
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: { text: string };
  defaultConfiguration: { level: 'error' | 'warning' };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: 'error' | 'warning';
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; uriBaseId: string };
      region: { startLine: number; startColumn: number };
    };
  }[];
  partialFingerprints: Record<string, string>;
}

const RULES: SarifRule[] = [
  rule('RL001', 'broken-reference', 'A reference no longer resolves to a file or folder of the workspace'),
  rule('RL002', 'render-changed', 'A kustomization renders different objects than before the change'),
  rule('RL003', 'render-failed', 'A kustomization that rendered before the change no longer renders'),
  rule('RL004', 'root-gone', 'A kustomization root of the baseline is not found at its new location'),
  rule('RL005', 'stale-reference', 'A path that named a file before the change no longer reaches it where it moved'),
];

const SOURCE_ROOT = '%SRCROOT%';

/**
 * A SARIF 2.1.0 log for code scanning: one result per reference the change broke or left stale, and per kustomization root whose
 * render changed, failed or disappeared. Pre-existing problems are not reported.
 */
export function toSarif(report: VerifyReport): SarifLog {
  const results: SarifResult[] = [];
  for (const ref of report.references.introduced) {
    results.push(
      result(0, `Broken reference (${ref.kind}): '${ref.text}' resolves to ${ref.target}, which does not exist`, ref.from, ref.line, ref.column, {
        reference: `${ref.from}|${ref.kind}|${ref.text}`,
      }),
    );
  }
  for (const ref of report.references.lost) {
    results.push(
      result(4, `Stale reference (${ref.kind}): '${ref.text}' no longer reaches ${ref.target}`, ref.from, ref.line, ref.column, {
        reference: `${ref.from}|${ref.kind}|${ref.text}`,
      }),
    );
  }
  if (report.renders.status === 'compared') {
    for (const root of report.renders.roots) {
      const ruleIndex = root.status === 'changed' ? 1 : root.status === 'failed' ? 2 : root.status === 'root-gone' ? 3 : -1;
      if (ruleIndex < 0) continue;
      results.push(result(ruleIndex, rootMessage(root), root.file, 1, 1, { root: `${root.dir}|${root.status}` }));
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'relayout', version: RELAYOUT_VERSION, rules: RULES },
        },
        originalUriBaseIds: { [SOURCE_ROOT]: { description: { text: 'The root of the restructured repository' } } },
        results,
      },
    ],
  };
}

function rootMessage(root: RootComparison): string {
  const where = root.baselineDir !== undefined ? `${root.dir} (was ${root.baselineDir})` : root.dir;
  if (root.status === 'changed' && root.diff) return `kustomize build ${where} renders different objects: ${describeDiff(root.diff)}`;
  if (root.status === 'failed') return `kustomize build ${where} no longer renders: ${root.error ?? 'unknown error'}`;
  return `The kustomization root ${where} of the baseline is gone`;
}

/** A one-line description of an object diff: `added Service ns/a; removed …; modified Deployment ns/b (spec.replicas)`. */
export function describeDiff(diff: ObjectDiff): string {
  const parts: string[] = [];
  if (diff.added.length > 0) parts.push(`added ${diff.added.map(formatObjectId).join(', ')}`);
  if (diff.removed.length > 0) parts.push(`removed ${diff.removed.map(formatObjectId).join(', ')}`);
  if (diff.modified.length > 0) {
    parts.push(`modified ${diff.modified.map((object) => `${formatObjectId(object)} (${object.fields.join(', ')})`).join(', ')}`);
  }
  return parts.join('; ');
}

function result(
  ruleIndex: number,
  text: string,
  file: string,
  line: number,
  column: number,
  partialFingerprints: Record<string, string>,
): SarifResult {
  const { id, defaultConfiguration } = RULES[ruleIndex];
  return {
    ruleId: id,
    ruleIndex,
    level: defaultConfiguration.level,
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: encodeURI(file), uriBaseId: SOURCE_ROOT },
          region: { startLine: Math.max(1, line), startColumn: Math.max(1, column) },
        },
      },
    ],
    partialFingerprints,
  };
}

function rule(id: string, name: string, text: string): SarifRule {
  return { id, name, shortDescription: { text }, defaultConfiguration: { level: 'error' } };
}
