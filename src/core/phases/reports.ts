/**
 * The Markdown reports of the analysis steps: the inventory (counts by kind and folder, as the proposal's analysis
 * gives them), the dependency map (the reference graph by folder) and the impact of the pending moves. Each comes with
 * its data, so that the editor can show the same in its own views.
 */
import { formatInventory, type Inventory } from '../inventory/inventory';
import { dirname, isInside, movePath } from '../paths';
import type { RuleMove } from '../plan/compile';
import type { Conflict, FileCreate, MovePlan, ReferenceGraph, ReviewItem } from '../types';

/** The inventory of the plan's root as Markdown: totals, counts by kind, then every folder with its files. */
export function inventoryReport(inventory: Inventory, root: string): string {
  const lines = [`# Inventory of ${root || 'the workspace'}`, ''];
  const folders = inventory.folders.filter((folder) => folder.folder !== '' && isInside(folder.folder, root));
  lines.push(`${inventory.totalFiles} files in ${folders.length} folders.`, '', '## Files by kind', '', '| kind | files |', '|---|---:|');
  for (const [kind, count] of Object.entries(inventory.byKind).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))) {
    lines.push(`| ${kind} | ${count} |`);
  }
  lines.push('', '## Files by folder', '', '| folder | files | directly in it | kinds |', '|---|---:|---:|---|');
  for (const folder of folders) {
    const kinds = Object.entries(folder.byKind)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([kind, count]) => `${kind} ${count}`)
      .join(', ');
    lines.push(`| ${folder.folder}/ | ${folder.total} | ${folder.direct} | ${kinds} |`);
  }
  lines.push('', '## Summary as `relayout inventory` prints it', '', '```', formatInventory(inventory, { depth: 3 }).trimEnd(), '```', '');
  return lines.join('\n');
}

/** References between two folders (the folders of the referring file and of the target). */
export interface FolderEdge {
  from: string;
  to: string;
  count: number;
}

export interface FolderDependencies {
  folder: string;
  files: number;
  /** References written in the folder's files. */
  outgoing: number;
  /** References from anywhere to files of the folder. */
  incoming: number;
}

export interface DependencyMap {
  folders: FolderDependencies[];
  /** Edges between different folders, most references first. */
  crossFolder: FolderEdge[];
  references: number;
}

/**
 * The reference graph grouped by folder: per folder its outgoing and incoming references, and the references that
 * cross from one folder to another. Only files below `root` are counted as referrers.
 */
export function buildDependencyMap(graph: ReferenceGraph, root: string): DependencyMap {
  const folders = new Map<string, FolderDependencies>();
  const folder = (path: string): FolderDependencies => {
    let entry = folders.get(path);
    if (!entry) folders.set(path, (entry = { folder: path, files: 0, outgoing: 0, incoming: 0 }));
    return entry;
  };
  for (const file of graph.files()) if (isInside(file, root)) folder(dirname(file)).files++;
  const edges = new Map<string, FolderEdge>();
  let references = 0;
  for (const ref of graph.allRefs()) {
    if (!isInside(ref.from, root)) continue;
    references++;
    const from = dirname(ref.from);
    // A folder reference (`resources: [../base]`) names the folder itself; a file a command writes, its folder.
    const to = graph.kindOf(ref.target) !== undefined || ref.output ? dirname(ref.target) : ref.target;
    folder(from).outgoing++;
    folder(to).incoming++;
    if (from === to) continue;
    const key = `${from}\u0000${to}`;
    const edge = edges.get(key);
    if (edge) edge.count++;
    else edges.set(key, { from, to, count: 1 });
  }
  return {
    folders: [...folders.values()].sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0)),
    crossFolder: [...edges.values()].sort((a, b) => b.count - a.count || (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : 1)),
    references,
  };
}

export function dependencyMapReport(map: DependencyMap, root: string): string {
  const lines = [`# Dependency map of ${root || 'the workspace'}`, ''];
  lines.push(`${map.references} references written in files below ${root || 'the root'}; ${map.crossFolder.length} folder-to-folder links.`, '');
  lines.push('## Folders', '', '| folder | files | outgoing | incoming |', '|---|---:|---:|---:|');
  for (const entry of map.folders) lines.push(`| ${entry.folder || '.'}/ | ${entry.files} | ${entry.outgoing} | ${entry.incoming} |`);
  lines.push('', '## Cross-folder references', '', 'A move of either folder rewrites these references.', '', '| from | to | references |', '|---|---|---:|');
  for (const edge of map.crossFolder) lines.push(`| ${edge.from || '.'}/ | ${edge.to || '.'}/ | ${edge.count} |`);
  lines.push('');
  return lines.join('\n');
}

/** What a set of pending moves would do: the moves, the files they carry, edits per file, and what stops or needs a look. */
export interface MoveImpact {
  moves: RuleMove[];
  /** Files its moves carry. */
  files: number;
  edits: { file: string; count: number }[];
  creates: FileCreate[];
  conflicts: Conflict[];
  review: ReviewItem[];
}

/** The impact of pending moves, attributed to the plan steps that carry them out. */
export interface StepImpact extends MoveImpact {
  step: string;
}

export interface Impact {
  steps: StepImpact[];
  /** Edits, creates, conflicts and review items no one step's moves explain (a folder several steps empty). */
  unattributed: StepImpact;
  /** Created kustomizations and conflicts that come from kustomize's load restrictor. */
  loadRestrictor: { path: string; reason: string }[];
}

/**
 * Splits one planned batch (every pending move of the selected steps, planned together) by step: a move's renames
 * by its rule, an edit by the step that moves its reference's target (or, failing that, the referring file), a
 * created file by the step that moves files into its folder, conflicts and review items by the path they name.
 */
export function attributeImpact(
  moves: readonly RuleMove[],
  stepOfRule: ReadonlyMap<string, string>,
  plan: MovePlan,
  graph: ReferenceGraph,
): Impact {
  const steps = new Map<string, StepImpact>();
  const empty = (step: string): StepImpact => ({ step, moves: [], files: 0, edits: [], creates: [], conflicts: [], review: [] });
  const unattributed = empty('');
  const impactOf = (step: string | undefined): StepImpact => {
    if (step === undefined) return unattributed;
    let impact = steps.get(step);
    if (!impact) steps.set(step, (impact = empty(step)));
    return impact;
  };
  const stepMoving = (path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    const move = moves.find((candidate) => movePath(path, candidate.from, candidate.to) !== undefined);
    return move ? stepOfRule.get(move.rule) : undefined;
  };
  const stepMovingInto = (path: string): string | undefined => {
    const move = moves.find((candidate) => isInside(path, candidate.to) || dirname(candidate.to) === dirname(path));
    return move ? stepOfRule.get(move.rule) : undefined;
  };
  for (const move of moves) {
    const impact = impactOf(stepOfRule.get(move.rule));
    impact.moves.push(move);
    impact.files += move.files;
  }
  const editCounts = new Map<StepImpact, Map<string, number>>();
  for (const edit of plan.edits) {
    const ref = graph.refsFrom(edit.file).find((candidate) => candidate.start <= edit.start && edit.end <= candidate.end);
    const impact = impactOf(stepMoving(ref?.target) ?? stepMoving(edit.file));
    let counts = editCounts.get(impact);
    if (!counts) editCounts.set(impact, (counts = new Map()));
    counts.set(edit.file, (counts.get(edit.file) ?? 0) + 1);
  }
  for (const [impact, counts] of editCounts) {
    impact.edits = [...counts].map(([file, count]) => ({ file, count })).sort((a, b) => (a.file < b.file ? -1 : 1));
  }
  for (const create of plan.creates) impactOf(stepMovingInto(create.path)).creates.push(create);
  for (const conflict of plan.conflicts) impactOf(stepMoving(conflict.path)).conflicts.push(conflict);
  // A folder that several moves empty (a path to `tls/` when its files go three ways) belongs to the one step that
  // moves its files, when there is one.
  const stepEmptying = (path: string | undefined): string | undefined => {
    if (path === undefined) return undefined;
    const steps = new Set(moves.filter((move) => isInside(move.from, path)).map((move) => stepOfRule.get(move.rule)));
    return steps.size === 1 ? [...steps][0] : undefined;
  };
  for (const item of plan.review) {
    impactOf(stepMoving(item.target) ?? stepEmptying(item.target) ?? stepMoving(item.file)).review.push(item);
  }
  const loadRestrictor = [
    ...plan.creates.filter((create) => /load restrictor/i.test(create.reason)).map((create) => ({ path: create.path, reason: create.reason })),
    ...plan.conflicts.filter((conflict) => /load restrictor/i.test(conflict.reason)).map((conflict) => ({ path: conflict.path, reason: conflict.reason })),
  ];
  return { steps: [...steps.values()], unattributed, loadRestrictor };
}

export function impactReport(impact: Impact, title: string): string {
  const lines = [`# Impact assessment: ${title}`, ''];
  const all = [...impact.steps, impact.unattributed];
  const total = (pick: (step: StepImpact) => number): number => all.reduce((sum, step) => sum + pick(step), 0);
  lines.push(
    `${total((s) => s.files)} files to move; ${total((s) => s.edits.reduce((sum, e) => sum + e.count, 0))} reference edits in ` +
      `${new Set(all.flatMap((s) => s.edits.map((e) => e.file))).size} files; ${total((s) => s.creates.length)} files created; ` +
      `${total((s) => s.conflicts.length)} conflicts; ${total((s) => s.review.length)} items need review.`,
    '',
  );
  if (impact.loadRestrictor.length > 0) {
    lines.push('## Kustomize load restrictor', '');
    for (const item of impact.loadRestrictor) lines.push(`- ${item.path}: ${item.reason}`);
    lines.push('');
  }
  for (const step of all) {
    if (step.files === 0 && step.edits.length === 0 && step.creates.length === 0 && step.conflicts.length === 0 && step.review.length === 0) continue;
    lines.push(step.step ? `## Step ${step.step}` : '## Not attributed to one step', '');
    if (step.moves.length > 0) {
      lines.push(`Moves (${step.files} files):`, '');
      for (const move of step.moves) lines.push(`- ${move.from}${move.folder ? '/' : ''} → ${move.to}${move.folder ? `/ (${move.files} files)` : ''}`);
      lines.push('');
    }
    if (step.edits.length > 0) {
      lines.push('Reference edits per file:', '', '| file | edits |', '|---|---:|');
      for (const edit of step.edits) lines.push(`| ${edit.file} | ${edit.count} |`);
      lines.push('');
    }
    section(lines, 'Created files', step.creates, (create) => `${create.path}: ${create.reason}`);
    section(lines, 'Conflicts (block the step)', step.conflicts, (conflict) => `${conflict.path}${conflict.line ? `:${conflict.line}` : ''}: ${conflict.reason}`);
    section(lines, 'Needs review', step.review, (item) => `${item.file}:${item.line}:${item.column} ${item.text}: ${item.reason}`);
  }
  return lines.join('\n');
}

function section<T>(lines: string[], title: string, items: readonly T[], format: (item: T) => string): void {
  if (items.length === 0) return;
  lines.push(`${title}:`, '');
  for (const item of items) lines.push(`- ${format(item)}`);
  lines.push('');
}
