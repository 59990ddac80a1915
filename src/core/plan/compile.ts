/**
 * Turns a plan's rules into moves for a given tree, and measures how far the tree has come.
 *
 * Each file under the plan's root is decided once: excluded (ignored), kept (a `keep` entry), taken by the first
 * rule that either matches it (`from`, not excluded by the rule) or recognises it at its destination (already moved),
 * in place (it lies in a layout folder), or else unmatched.
 * A folder rule takes a file through its shallowest matching ancestor folder; that folder becomes one folder move when
 * every file in it went to the same rule through the same folder, and one move per file otherwise. Excluded files
 * are invisible to the plan: a folder that moves whole carries them along.
 */
import type { Move, Problem } from '../types';
import { isInside, join, normalize } from '../paths';
import { compileGlob, matchGlob, type Glob } from './glob';
import { destinationGlob, parseTemplate, renderTemplate, type Template } from './template';
import type { CreateEnvironmentOptions, MoveRule, Plan, PlanPhase, PlanStep, StepAction } from './types';

/** A move a rule produced. Paths are workspace-relative. */
export interface RuleMove extends Move {
  rule: string;
  /** True when a whole folder moves. */
  folder: boolean;
  /** How many (non-excluded) files the move carries. */
  files: number;
}

export interface KeptFile {
  /** Workspace-relative. */
  path: string;
  reason: string;
}

export interface CompileOptions {
  /** Only moves of these rules (first-match is still decided over all rules). */
  rules?: string[];
}

export interface CompileResult {
  moves: RuleMove[];
  /** Files already at their destination (workspace-relative). */
  done: string[];
  /** Files under root that no rule, keep entry or exclude covers (workspace-relative). */
  unmatched: string[];
  kept: KeptFile[];
  /** Conflicts (errors, nothing may be applied) and doubts (warnings), positioned at the plan entry responsible. */
  problems: Problem[];
}

interface CompiledRule {
  rule: MoveRule;
  from: Glob;
  exclude: Glob[];
  template: Template;
  /** Where the rule's results land, to recognise files it already moved; undefined when not expressible. */
  destination: Glob | undefined;
}

type Decision =
  | { kind: 'excluded' }
  | { kind: 'kept'; reason: string; keep: number }
  | { kind: 'unmatched' }
  /** At its destination: recognised by a rule, or lying in a layout folder (`rule` undefined). */
  | { kind: 'done'; rule: CompiledRule | undefined }
  | { kind: 'move'; rule: CompiledRule; entry: string; entryTarget: string; target: string };

interface Decided {
  /** Root-relative. */
  path: string;
  decision: Decision;
}

/**
 * The moves that carry out `plan` on a tree. `files` are workspace-relative (e.g. `FileSource.listFiles()`); only
 * those under the plan's root are considered. The plan must have loaded without errors.
 */
export function compilePlan(plan: Plan, files: readonly string[], options: CompileOptions = {}): CompileResult {
  const rules = compileRules(plan);
  const decided = decideAll(plan, rules, files);
  const problems: Problem[] = [];
  const at = (rule: MoveRule): Pick<Problem, 'file' | 'line' | 'column'> => ({ file: plan.file, ...rule.position });
  const selected = options.rules ? new Set(options.rules) : undefined;
  const workspace = (rootRelative: string): string => join(plan.root, rootRelative);

  const result: CompileResult = { moves: [], done: [], unmatched: [], kept: [], problems };
  const movers: Decided[] = [];
  const usedRules = new Set<string>();
  const usedKeeps = new Set<number>();
  for (const item of decided) {
    const { decision } = item;
    if (decision.kind === 'kept') {
      usedKeeps.add(decision.keep);
      result.kept.push({ path: workspace(item.path), reason: decision.reason });
    } else if (decision.kind === 'unmatched') result.unmatched.push(workspace(item.path));
    else if (decision.kind === 'done') {
      if (decision.rule) usedRules.add(decision.rule.rule.id);
      result.done.push(workspace(item.path));
    } else if (decision.kind === 'move') {
      usedRules.add(decision.rule.rule.id);
      if (decision.target === item.path) result.done.push(workspace(item.path));
      else if (!selected || selected.has(decision.rule.rule.id)) movers.push(item);
    }
  }

  // Folder moves: one per (rule, folder) whose files all went there together and that does not land inside itself.
  const groups = new Map<string, Decided[]>();
  for (const item of movers) {
    const decision = item.decision as Extract<Decision, { kind: 'move' }>;
    if (decision.entry === item.path) continue;
    const key = `${decision.rule.rule.id}\u0000${decision.entry}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  const filesBelow = countFilesBelow(decided);
  const moving = new Set(movers);
  const staying = decided.filter((d) => !moving.has(d)).map((d) => d.path);
  const stayingFiles = new Set(staying);
  const stayingFolders = new Set(staying.flatMap((path) => ancestors(path)));
  const collapsed = new Set<Decided>();
  for (const members of groups.values()) {
    const decision = members[0].decision as Extract<Decision, { kind: 'move' }>;
    const whole = filesBelow.get(decision.entry) === members.length;
    // A folder move needs a free destination; into an existing folder, the files move one by one.
    const free = !stayingFolders.has(decision.entryTarget) && !stayingFiles.has(decision.entryTarget);
    if (!whole || !free || isInside(decision.entryTarget, decision.entry)) continue;
    for (const member of members) collapsed.add(member);
    result.moves.push({
      from: workspace(decision.entry),
      to: workspace(decision.entryTarget),
      rule: decision.rule.rule.id,
      folder: true,
      files: members.length,
    });
  }
  for (const item of movers) {
    if (collapsed.has(item)) continue;
    const decision = item.decision as Extract<Decision, { kind: 'move' }>;
    result.moves.push({ from: workspace(item.path), to: workspace(decision.target), rule: decision.rule.rule.id, folder: false, files: 1 });
  }
  result.moves.sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));

  // Conflicts: two files to one target, or a target where a file stays.
  const byTarget = new Map<string, Decided>();
  for (const item of movers) {
    const decision = item.decision as Extract<Decision, { kind: 'move' }>;
    if (decision.target === '') {
      problems.push({ ...at(decision.rule.rule), severity: 'error', message: `Rule \`${decision.rule.rule.id}\` sends \`${workspace(item.path)}\` to an empty path.` });
      continue;
    }
    const other = byTarget.get(decision.target);
    if (other) {
      const otherRule = (other.decision as Extract<Decision, { kind: 'move' }>).rule.rule.id;
      problems.push({
        ...at(decision.rule.rule),
        severity: 'error',
        message: `\`${workspace(other.path)}\` (rule \`${otherRule}\`) and \`${workspace(item.path)}\` (rule \`${decision.rule.rule.id}\`) would both move to \`${workspace(decision.target)}\`.`,
      });
    } else byTarget.set(decision.target, item);
    if (stayingFiles.has(decision.target)) {
      problems.push({
        ...at(decision.rule.rule),
        severity: 'error',
        message: `Rule \`${decision.rule.rule.id}\` moves \`${workspace(item.path)}\` to \`${workspace(decision.target)}\`, where a file already is and stays.`,
      });
    }
  }

  // Doubts: targets outside the proposed layout, rules and keep entries that cover nothing.
  const layout = plan.layout.map((folder) => (folder.path === '.' ? '' : folder.path));
  if (layout.length > 0) {
    const outside = new Map<CompiledRule, string[]>();
    for (const item of movers) {
      const decision = item.decision as Extract<Decision, { kind: 'move' }>;
      if (layout.some((folder) => isInside(decision.target, folder))) continue;
      const targets = outside.get(decision.rule);
      if (targets) targets.push(decision.target);
      else outside.set(decision.rule, [decision.target]);
    }
    for (const [rule, targets] of outside) {
      const more = targets.length > 1 ? ` and ${targets.length - 1} more` : '';
      problems.push({
        ...at(rule.rule),
        severity: 'warning',
        message: `Rule \`${rule.rule.id}\` sends files outside the proposed layout: \`${workspace(targets[0])}\`${more}.`,
      });
    }
  }
  for (const rule of rules) {
    if (!usedRules.has(rule.rule.id)) {
      problems.push({ ...at(rule.rule), severity: 'warning', message: `Rule \`${rule.rule.id}\` matches no file: its \`from\` (\`${rule.rule.from}\`) finds nothing that an earlier rule did not take.` });
    }
  }
  plan.keep.forEach((keep, index) => {
    if (!usedKeeps.has(index)) {
      problems.push({ file: plan.file, ...keep.position, severity: 'warning', message: `Keep entry \`${keep.path}\` matches no file.` });
    }
  });
  return result;
}

/** Progress of one rule, in files. */
export interface RuleProgress {
  rule: string;
  total: number;
  /** Files at their destination. */
  done: number;
  /** Files still to move. */
  pending: number;
}

/** Progress of one step; `measured` is false for actions the tree cannot show (inventory, validate, …). */
export interface StepProgress {
  phase: string;
  step: string;
  action: StepAction;
  measured: boolean;
  total: number;
  done: number;
  pending: number;
}

export interface PhaseProgress {
  phase: string;
  /** Sums over the phase's measured steps. */
  total: number;
  done: number;
  pending: number;
}

export interface Progress {
  rules: RuleProgress[];
  steps: StepProgress[];
  phases: PhaseProgress[];
  kept: number;
  unmatched: number;
}

/**
 * How far the tree has come, read from the tree alone: per rule the files still matching its `from` (pending) and the
 * files at its destination (done); per move step the sum over its rules; a create-environment step is done when the
 * new environment's folder has files (or the rules have since moved them on).
 */
export function describeProgress(plan: Plan, files: readonly string[]): Progress {
  const rules = compileRules(plan);
  const decided = decideAll(plan, rules, files);
  const byRule = new Map<string, RuleProgress>(rules.map((r) => [r.rule.id, { rule: r.rule.id, total: 0, done: 0, pending: 0 }]));
  let kept = 0;
  let unmatched = 0;
  for (const { path, decision } of decided) {
    if (decision.kind === 'kept') kept++;
    else if (decision.kind === 'unmatched') unmatched++;
    else if ((decision.kind === 'done' || decision.kind === 'move') && decision.rule) {
      const progress = byRule.get(decision.rule.rule.id)!;
      progress.total++;
      if (decision.kind === 'done' || decision.target === path) progress.done++;
      else progress.pending++;
    }
  }
  const environmentCreated = environmentCheck(plan, rules, files);
  const steps: StepProgress[] = [];
  const phases: PhaseProgress[] = [];
  for (const phase of plan.phases) {
    const phaseProgress: PhaseProgress = { phase: phase.id, total: 0, done: 0, pending: 0 };
    for (const step of phase.steps) {
      const progress = stepProgress(phase, step, byRule, environmentCreated);
      steps.push(progress);
      phaseProgress.total += progress.total;
      phaseProgress.done += progress.done;
      phaseProgress.pending += progress.pending;
    }
    phases.push(phaseProgress);
  }
  return { rules: [...byRule.values()], steps, phases, kept, unmatched };
}

function stepProgress(
  phase: PlanPhase,
  step: PlanStep,
  byRule: Map<string, RuleProgress>,
  environmentCreated: (options: CreateEnvironmentOptions) => boolean,
): StepProgress {
  const progress: StepProgress = { phase: phase.id, step: step.id, action: step.action, measured: false, total: 0, done: 0, pending: 0 };
  if (step.action === 'move') {
    progress.measured = true;
    for (const id of step.rules) {
      const rule = byRule.get(id);
      if (!rule) continue;
      progress.total += rule.total;
      progress.done += rule.done;
      progress.pending += rule.pending;
    }
  } else if (step.createEnvironment) {
    progress.measured = true;
    progress.total = 1;
    progress.done = environmentCreated(step.createEnvironment) ? 1 : 0;
    progress.pending = 1 - progress.done;
  }
  return progress;
}

/**
 * Whether a create-environment step has run: the new folder beside `from` has files, or, once later moves took it
 * away, the rules' destination of its files (named after the files of `from`, or `kustomization.yaml` when `from`
 * has moved too) exists.
 */
function environmentCheck(plan: Plan, rules: CompiledRule[], files: readonly string[]): (options: CreateEnvironmentOptions) => boolean {
  const decide = decider(plan, rules);
  const present = new Set(files);
  return ({ from, name }) => {
    const source = join(plan.root, from);
    const created = join(source, '..', name);
    if (files.some((file) => isInside(file, created) && file !== created)) return true;
    const names = files.filter((file) => isInside(file, source) && file !== source).map((file) => file.slice(source.length + 1));
    const probes = names.length > 0 ? names : ['kustomization.yaml'];
    return probes.some((probe) => {
      const decision = decide(join(from, '..', name, probe));
      return decision.kind === 'move' && present.has(join(plan.root, decision.target));
    });
  };
}

function compileRules(plan: Plan): CompiledRule[] {
  const compiled: CompiledRule[] = [];
  for (const rule of plan.rules) {
    const from = compileGlob(rule.from);
    const template = parseTemplate(rule.to);
    if (!from.ok || !template.ok) throw new Error(`compilePlan needs a plan that loaded without errors (rule ${rule.id})`);
    const destination = compileGlob(destinationGlob(template.template, from.glob) + (from.glob.folder ? '/' : ''));
    compiled.push({
      rule,
      from: from.glob,
      exclude: rule.exclude.map(mustCompile),
      template: template.template,
      destination: destination.ok ? destination.glob : undefined,
    });
  }
  return compiled;
}

function mustCompile(source: string): Glob {
  const compiled = compileGlob(source);
  if (!compiled.ok) throw new Error(`compilePlan needs a plan that loaded without errors (glob ${source})`);
  return compiled.glob;
}

/** Every file under the root, decided; sorted by path. */
function decideAll(plan: Plan, rules: CompiledRule[], files: readonly string[]): Decided[] {
  const decide = decider(plan, rules);
  const decided: Decided[] = [];
  for (const file of files) {
    if (!isInside(file, plan.root) || file === plan.root) continue;
    const path = plan.root === '' ? normalize(file) : file.slice(plan.root.length + 1);
    decided.push({ path, decision: decide(path) });
  }
  return decided.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Decides one root-relative path: excluded, kept, taken by the first rule that matches or recognises it, or not. */
function decider(plan: Plan, rules: CompiledRule[]): (path: string) => Decision {
  const exclude = plan.exclude.map(mustCompile);
  const keep = plan.keep.map((entry) => mustCompile(entry.path));
  const layout = plan.layout.map((folder) => folder.path).filter((folder) => folder !== '.');
  return (path) => {
    if (exclude.some((glob) => covers(glob, path))) return { kind: 'excluded' };
    const keepIndex = keep.findIndex((glob) => covers(glob, path));
    if (keepIndex >= 0) return { kind: 'kept', reason: plan.keep[keepIndex].reason, keep: keepIndex };
    for (const rule of rules) {
      if (rule.exclude.some((glob) => covers(glob, path))) continue;
      const match = matchEntry(rule.from, path);
      if (match) {
        const entryTarget = normalize(renderTemplate(rule.template, match.entry, match.captures));
        const target = match.entry === path ? entryTarget : join(entryTarget, path.slice(match.entry.length + 1));
        return { kind: 'move', rule, entry: match.entry, entryTarget, target };
      }
      if (rule.destination && matchEntry(rule.destination, path)) return { kind: 'done', rule: likeliestMover(rules, path) };
    }
    if (layout.some((folder) => isInside(path, folder))) return { kind: 'done', rule: undefined };
    return { kind: 'unmatched' };
  };
}

/**
 * The rule that most likely moved `path` to where it is: of the rules whose destination it lies in, the one whose
 * destination glob is the most specific (destinations of several rules can overlap: `scripts/setup/*.sh` and
 * `scripts/setup/setup-dockerhub-secrets.sh`).
 */
function likeliestMover(rules: CompiledRule[], path: string): CompiledRule {
  let best: CompiledRule | undefined;
  let bestSpecificity = -1;
  for (const rule of rules) {
    if (!rule.destination || !matchEntry(rule.destination, path)) continue;
    const specificity = literalLength(rule.destination.source);
    if (specificity > bestSpecificity) {
      best = rule;
      bestSpecificity = specificity;
    }
  }
  return best!;
}

/** How many characters of a glob are literal (an alternation counts as its shortest alternative). */
function literalLength(glob: string): number {
  return glob
    .replace(/\{([^}]*)\}/g, (_, inner: string) => 'x'.repeat(Math.min(...inner.split(',').map((a) => a.length))))
    .replace(/[*?]/g, '').length;
}

/** The entry (the file itself, or its shallowest matching folder for a folder glob) that `glob` matches. */
function matchEntry(glob: Glob, path: string): { entry: string; captures: string[] } | undefined {
  if (!path.startsWith(glob.prefix)) return undefined;
  if (!glob.folder) {
    const captures = matchGlob(glob, path);
    return captures ? { entry: path, captures } : undefined;
  }
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) {
    const folder = path.slice(0, slash);
    const captures = matchGlob(glob, folder);
    if (captures) return { entry: folder, captures };
  }
  return undefined;
}

/** True when a file glob matches `path` or a folder glob matches one of its folders. */
function covers(glob: Glob, path: string): boolean {
  return matchEntry(glob, path) !== undefined;
}

/** For every folder, how many decided files lie below it. */
function countFilesBelow(decided: Decided[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { path, decision } of decided) {
    if (decision.kind === 'excluded') continue;
    for (const folder of ancestors(path)) counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  return counts;
}

/** The folders above a path, outermost first (`a`, `a/b` for `a/b/c`). */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let slash = path.indexOf('/'); slash >= 0; slash = path.indexOf('/', slash + 1)) out.push(path.slice(0, slash));
  return out;
}
