/**
 * Reads `relayout.yaml`: parses with `yaml` (v2, source ranges kept) and validates by hand, so that every problem
 * names the file, line and column and says in a sentence what is wrong and, where it can, what was meant.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Problem } from '../types';
import { LineIndex } from '../text';
import { basename, normalize } from '../paths';
import { compileGlob } from './glob';
import { highestCapture, isLiteral, parseTemplate, TEMPLATE_VARIABLES } from './template';
import {
  STEP_ACTIONS,
  type CreateEnvironmentOptions,
  type KeepEntry,
  type LayoutFolder,
  type MoveRule,
  type Plan,
  type PlanPhase,
  type PlanPosition,
  type PlanStep,
  type StepAction,
} from './types';

/**
 * The keys the loader accepts in each kind of object. The JSON Schema (`schemas/relayout.schema.json`) must list the
 * same keys; a unit test holds the two together.
 */
export const PLAN_KEYS = {
  plan: ['version', 'title', 'proposal', 'root', 'exclude', 'layout', 'rules', 'keep', 'phases'],
  layoutFolder: ['path', 'description', 'expect'],
  rule: ['id', 'from', 'to', 'exclude', 'note'],
  keep: ['path', 'reason'],
  phase: ['id', 'title', 'description', 'steps'],
  step: ['id', 'title', 'action', 'description', 'rules', 'with'],
  createEnvironment: ['from', 'name'],
} as const satisfies Record<string, readonly string[]>;

export interface LoadResult {
  /** Undefined when any problem is an error: a plan with errors must not be acted on. */
  plan: Plan | undefined;
  problems: Problem[];
}

/** Parses and validates a plan file's text. `file` is its workspace-relative path, used in every problem. */
export function loadPlan(text: string, file: string): LoadResult {
  const checker = new PlanChecker(text, file);
  const plan = checker.check();
  const problems = checker.problems;
  return { plan: problems.some((p) => p.severity === 'error') ? undefined : plan, problems };
}

/** `file:line:column: severity: message`, the form editors and terminals link. */
export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}`;
}

/** The candidate closest to `word` when it is close enough to be a likely typo. */
export function closestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(1, Math.floor(word.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** Edit distance counting a swap of two neighbouring letters as one edit (the commonest typo). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

function didYouMean(word: string, candidates: readonly string[]): string {
  const close = closestName(word, candidates);
  return close ? ` Did you mean \`${close}\`?` : '';
}

type ObjectKind = keyof typeof PLAN_KEYS;

const OBJECT_NAMES: Record<ObjectKind, string> = {
  plan: 'the plan',
  layoutFolder: 'a layout folder',
  rule: 'a rule',
  keep: 'a keep entry',
  phase: 'a phase',
  step: 'a step',
  createEnvironment: 'the options of a create-environment step',
};

const REQUIRED_KEYS: Record<ObjectKind, readonly string[]> = {
  plan: ['version', 'root'],
  layoutFolder: ['path'],
  rule: ['from', 'to'],
  keep: ['path', 'reason'],
  phase: ['id', 'title', 'steps'],
  step: ['id', 'title', 'action'],
  createEnvironment: ['from', 'name'],
};

class PlanChecker {
  readonly problems: Problem[] = [];
  private readonly lines: LineIndex;
  /** Every rule id written, valid rule or not, so a step naming a broken rule is not reported twice. */
  private readonly declaredRuleIds: string[] = [];

  constructor(
    private readonly text: string,
    private readonly file: string,
  ) {
    this.lines = new LineIndex(text);
  }

  check(): Plan {
    const plan: Plan = { file: this.file, version: 1, root: '', exclude: [], layout: [], rules: [], keep: [], phases: [] };
    const doc = parseDocument(this.text, { prettyErrors: false, uniqueKeys: true });
    for (const error of doc.errors) this.report(error.pos[0], 'error', cleanYamlMessage(error.message));
    for (const warning of doc.warnings) this.report(warning.pos[0], 'warning', cleanYamlMessage(warning.message));
    if (doc.errors.length > 0) return plan;
    const top = doc.contents;
    if (top === null || (isScalar(top) && top.value === null)) {
      this.report(0, 'error', 'The plan file is empty: it needs at least `version: 1` and `root`.');
      return plan;
    }
    const fields = this.object(top, 'plan');
    if (!fields) return plan;

    const version = fields.get('version');
    if (version && !(isScalar(version) && version.value === 1)) {
      this.error(version, 'This Relayout reads plan `version: 1`; the file says something else.');
    }
    plan.title = this.optionalString(fields.get('title'), 'title');
    const proposal = fields.get('proposal');
    if (proposal) plan.proposal = this.path(proposal, 'proposal');
    const root = fields.get('root');
    if (root) {
      const value = this.string(root, 'root');
      if (value !== undefined && value.trim() !== '.') plan.root = this.path(root, 'root') ?? '';
    }
    plan.exclude = this.globs(fields.get('exclude'), 'exclude');
    plan.layout = this.layout(fields.get('layout'));
    plan.rules = this.rules(fields.get('rules'));
    plan.keep = this.keep(fields.get('keep'));
    plan.phases = this.phases(fields.get('phases'), plan.rules);
    return plan;
  }

  private layout(node: Node | undefined): LayoutFolder[] {
    const folders: LayoutFolder[] = [];
    const seen = new Map<string, LayoutFolder>();
    for (const item of this.list(node, 'layout', 'a list of folders')) {
      const fields = this.object(item, 'layoutFolder');
      if (!fields) continue;
      const pathNode = fields.get('path');
      const raw = pathNode ? this.string(pathNode, 'path') : undefined;
      const normalized = raw === undefined || raw.trim() === '.' ? raw?.trim() : this.path(pathNode!, 'path');
      if (normalized === undefined) continue;
      // `./` and the like name the root too; one spelling keeps comparisons simple.
      const path = normalized === '' ? '.' : normalized;
      if (/[*?{}]/.test(path)) {
        this.error(pathNode!, `A layout folder is a plain path, not a glob: \`${path}\`.`);
        continue;
      }
      const earlier = seen.get(path);
      if (earlier) {
        this.error(pathNode!, `The layout lists \`${path}\` twice (first on line ${earlier.position.line}).`);
        continue;
      }
      const expect: string[] = [];
      for (const entry of this.list(fields.get('expect'), 'expect', 'a list of file names')) {
        const name = this.string(entry, 'expect');
        if (name === undefined) continue;
        if (name.includes('/')) this.error(entry, `\`expect\` lists file names directly in the folder; \`${name}\` has a \`/\`.`);
        else expect.push(name);
      }
      const folder: LayoutFolder = {
        path,
        description: this.optionalString(fields.get('description'), 'description'),
        expect,
        position: this.position(item),
      };
      seen.set(path, folder);
      folders.push(folder);
    }
    return folders;
  }

  private rules(node: Node | undefined): MoveRule[] {
    const rules: MoveRule[] = [];
    const ids = new Map<string, MoveRule>();
    const literalTargets = new Map<string, MoveRule>();
    let index = 0;
    for (const item of this.list(node, 'rules', 'a list of move rules')) {
      index++;
      const fields = this.object(item, 'rule');
      if (!fields) continue;
      const idNode = fields.get('id');
      const id = idNode ? this.id(idNode, 'rule') : `rule-${index}`;
      if (id !== undefined) this.declaredRuleIds.push(id);
      const fromNode = fields.get('from');
      const toNode = fields.get('to');
      const from = fromNode ? this.glob(fromNode, 'from') : undefined;
      const to = toNode ? this.string(toNode, 'to') : undefined;
      const exclude = this.globs(fields.get('exclude'), 'exclude');
      const note = this.optionalString(fields.get('note'), 'note');
      if (id === undefined || from === undefined || to === undefined) continue;
      const rule: MoveRule = { id, from, to, exclude, note, position: this.position(item) };
      const sameId = ids.get(id);
      if (sameId) this.error(idNode ?? item, `Two rules have the id \`${id}\` (the other is on line ${sameId.position.line}).`);
      else ids.set(id, rule);
      if (!this.checkTemplate(toNode!, to, from)) continue;
      const template = parseTemplate(to);
      if (template.ok && isLiteral(template.template) && !template.template.into) {
        const target = normalize(to);
        const other = literalTargets.get(target);
        if (other) {
          this.error(
            toNode!,
            `Rules \`${other.id}\` (line ${other.position.line}) and \`${id}\` both send files to \`${target}\`: only one thing can be there.`,
          );
        } else literalTargets.set(target, rule);
        const glob = compileGlob(from);
        if (glob.ok && glob.glob.captures.length > 0) {
          this.warning(
            toNode!,
            `Every file \`${from}\` matches goes to the one path \`${target}\`; if it matches more than one, they collide. End \`to\` with \`/\` to keep their names.`,
          );
        }
      }
      rules.push(rule);
    }
    return rules;
  }

  /** Checks a `to` template against its `from` glob; true when the rule can be used. */
  private checkTemplate(node: Node, to: string, from: string): boolean {
    if (to.trim() === '') {
      this.error(node, '`to` is empty.');
      return false;
    }
    if (/^([/\\~]|[A-Za-z]:)/.test(to)) {
      this.error(node, `\`to\` must be relative to \`root\`; \`${to}\` is absolute.`);
      return false;
    }
    if (to.includes('\\')) {
      this.error(node, `Write paths with \`/\`, not \`\\\`: \`${to}\`.`);
      return false;
    }
    if (to.split('/').includes('..')) {
      this.error(node, `\`to\` must stay inside the workspace; \`${to}\` climbs out with \`..\`.`);
      return false;
    }
    const parsed = parseTemplate(to);
    if (!parsed.ok) {
      const hint = parsed.unknownVariable !== undefined ? didYouMean(parsed.unknownVariable, TEMPLATE_VARIABLES) : '';
      this.error(node, `${capitalize(parsed.message)}.${hint}`, parsed.offset);
      return false;
    }
    const glob = compileGlob(from);
    if (!glob.ok) return false;
    const highest = highestCapture(parsed.template);
    const count = glob.glob.captures.length;
    if (highest && highest.index > count) {
      const has = count === 0 ? 'has no wildcards' : `has only ${count} wildcard${count === 1 ? '' : 's'}`;
      this.error(node, `\`to\` uses $${highest.index} but \`from\` (\`${from}\`) ${has}.`, highest.offset);
      return false;
    }
    return true;
  }

  private keep(node: Node | undefined): KeepEntry[] {
    const entries: KeepEntry[] = [];
    for (const item of this.list(node, 'keep', 'a list of `{path, reason}` entries')) {
      const fields = this.object(item, 'keep');
      if (!fields) continue;
      const pathNode = fields.get('path');
      const path = pathNode ? this.glob(pathNode, 'path') : undefined;
      const reasonNode = fields.get('reason');
      const reason = reasonNode ? this.string(reasonNode, 'reason') : undefined;
      if (reasonNode && reason !== undefined && reason.trim() === '') {
        this.error(reasonNode, 'A kept file needs a reason: say why it stays where it is.');
        continue;
      }
      if (path !== undefined && reason !== undefined) entries.push({ path, reason, position: this.position(item) });
    }
    return entries;
  }

  private phases(node: Node | undefined, rules: MoveRule[]): PlanPhase[] {
    const phases: PlanPhase[] = [];
    const phaseIds = new Map<string, PlanPhase>();
    const stepIds = new Map<string, PlanStep>();
    const ruleIds = this.declaredRuleIds;
    const ruleUse = new Map<string, PlanStep>();
    for (const item of this.list(node, 'phases', 'a list of phases')) {
      const fields = this.object(item, 'phase');
      if (!fields) continue;
      const idNode = fields.get('id');
      const id = idNode ? this.id(idNode, 'phase') : undefined;
      const title = this.requiredString(fields.get('title'), 'title');
      const description = this.optionalString(fields.get('description'), 'description');
      const steps: PlanStep[] = [];
      for (const stepNode of this.list(fields.get('steps'), 'steps', 'a list of steps')) {
        const step = this.step(stepNode, ruleIds);
        if (!step) continue;
        const sameId = stepIds.get(step.id);
        if (sameId) {
          this.error(stepNode, `Two steps have the id \`${step.id}\` (the other is on line ${sameId.position.line}); step ids are unique in the plan.`);
          continue;
        }
        stepIds.set(step.id, step);
        for (const ruleId of step.rules) {
          const earlier = ruleUse.get(ruleId);
          if (earlier) {
            this.warning(stepNode, `Rule \`${ruleId}\` is already applied by step \`${earlier.id}\` (line ${earlier.position.line}).`);
          } else ruleUse.set(ruleId, step);
        }
        steps.push(step);
      }
      if (id === undefined || title === undefined) continue;
      const phase: PlanPhase = { id, title, description, steps, position: this.position(item) };
      const sameId = phaseIds.get(id);
      if (sameId) {
        this.error(idNode!, `Two phases have the id \`${id}\` (the other is on line ${sameId.position.line}).`);
        continue;
      }
      phaseIds.set(id, phase);
      phases.push(phase);
    }
    if (phases.length > 0) {
      for (const rule of rules) {
        if (!ruleUse.has(rule.id)) {
          this.problems.push({
            file: this.file,
            ...rule.position,
            severity: 'warning',
            message: `Rule \`${rule.id}\` is not applied by any move step, so no phase will carry it out.`,
          });
        }
      }
    }
    return phases;
  }

  private step(node: Node, ruleIds: string[]): PlanStep | undefined {
    const fields = this.object(node, 'step');
    if (!fields) return undefined;
    const idNode = fields.get('id');
    const id = idNode ? this.id(idNode, 'step') : undefined;
    const title = this.requiredString(fields.get('title'), 'title');
    const description = this.optionalString(fields.get('description'), 'description');
    const actionNode = fields.get('action');
    let action: StepAction | undefined;
    if (actionNode) {
      const value = this.string(actionNode, 'action');
      if (value !== undefined) {
        if ((STEP_ACTIONS as readonly string[]).includes(value)) action = value as StepAction;
        else {
          this.error(
            actionNode,
            `\`${value}\` is not a step action. Actions: ${STEP_ACTIONS.join(', ')}.${didYouMean(value, STEP_ACTIONS)}`,
          );
        }
      }
    }
    const rules: string[] = [];
    const rulesNode = fields.get('rules');
    for (const item of this.list(rulesNode, 'rules', 'a list of rule ids')) {
      const ruleId = this.string(item, 'rules');
      if (ruleId === undefined) continue;
      if (!ruleIds.includes(ruleId)) {
        this.error(item, `This step applies rule \`${ruleId}\`, but no rule has that id.${didYouMean(ruleId, ruleIds)}`);
      } else if (rules.includes(ruleId)) this.error(item, `The step lists rule \`${ruleId}\` twice.`);
      else rules.push(ruleId);
    }
    if (action !== undefined && action !== 'move' && rulesNode) {
      this.error(rulesNode, `Only \`move\` steps apply rules; this step's action is \`${action}\`.`);
    }
    if (action === 'move' && rules.length === 0 && !(isSeq(rulesNode) && rulesNode.items.length > 0)) {
      this.warning(node, 'This move step names no rules (`rules: [...]`), so it moves nothing.');
    }
    const withNode = fields.get('with');
    let createEnvironment: CreateEnvironmentOptions | undefined;
    if (action === 'create-environment') {
      if (!withNode) this.error(node, 'A create-environment step needs `with: {from: <environment folder>, name: <new name>}`.');
      else createEnvironment = this.createEnvironment(withNode);
    } else if (withNode && action !== undefined) {
      this.error(withNode, `Only create-environment steps take options (\`with\`); this step's action is \`${action}\`.`);
    }
    if (id === undefined || title === undefined || action === undefined) return undefined;
    if (action === 'create-environment' && !createEnvironment) return undefined;
    return { id, title, action, description, rules, createEnvironment, position: this.position(node) };
  }

  private createEnvironment(node: Node): CreateEnvironmentOptions | undefined {
    const fields = this.object(node, 'createEnvironment');
    if (!fields) return undefined;
    const fromNode = fields.get('from');
    const from = fromNode ? this.path(fromNode, 'from') : undefined;
    const nameNode = fields.get('name');
    const name = nameNode ? this.string(nameNode, 'name') : undefined;
    if (from === undefined || name === undefined) return undefined;
    if (name === '' || name.includes('/') || name === '.' || name === '..') {
      this.error(nameNode!, `\`name\` is the new environment's folder name, one path segment; \`${name}\` is not.`);
      return undefined;
    }
    if (name === basename(from)) {
      this.error(nameNode!, `The new environment \`${name}\` has the same name as the one it copies (\`${from}\`).`);
      return undefined;
    }
    return { from, name };
  }

  // ---- shapes -------------------------------------------------------------------------------------------------

  /** The fields of a mapping, after reporting keys that are unknown or missing. */
  private object(node: Node, kind: ObjectKind): Map<string, Node> | undefined {
    if (!isMap(node)) {
      this.error(node, `Expected ${OBJECT_NAMES[kind]} (a mapping of keys to values), found ${describe(node)}.`);
      return undefined;
    }
    const allowed: readonly string[] = PLAN_KEYS[kind];
    const fields = new Map<string, Node>();
    for (const pair of (node as YAMLMap<unknown, unknown>).items as Pair<unknown, unknown>[]) {
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : undefined;
      if (key === undefined) {
        this.error(keyNode, 'Keys must be plain words.');
        continue;
      }
      if (!allowed.includes(key)) {
        this.error(
          keyNode,
          `Unknown key \`${key}\` in ${OBJECT_NAMES[kind]}.${didYouMean(key, allowed)} Allowed: ${allowed.join(', ')}.`,
        );
        continue;
      }
      const value = pair.value as Node | null;
      if (value === null || (isScalar(value) && value.value === null)) {
        this.error(keyNode, `\`${key}\` has no value.`);
        continue;
      }
      fields.set(key, value);
    }
    for (const key of REQUIRED_KEYS[kind]) {
      if (!fields.has(key) && !node.items.some((pair) => isScalar(pair.key) && pair.key.value === key)) {
        this.error(node, `${capitalize(OBJECT_NAMES[kind])} needs \`${key}\`.`);
      }
    }
    return fields;
  }

  private list(node: Node | undefined, key: string, what: string): Node[] {
    if (!node) return [];
    if (!isSeq(node)) {
      this.error(node, `\`${key}\` must be ${what}, found ${describe(node)}.`);
      return [];
    }
    return node.items as Node[];
  }

  private string(node: Node, key: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.error(node, `\`${key}\` must be text, found ${describe(node)}.`);
    return undefined;
  }

  private optionalString(node: Node | undefined, key: string): string | undefined {
    return node ? this.string(node, key) : undefined;
  }

  private requiredString(node: Node | undefined, key: string): string | undefined {
    if (!node) return undefined;
    const value = this.string(node, key);
    if (value !== undefined && value.trim() === '') {
      this.error(node, `\`${key}\` is empty.`);
      return undefined;
    }
    return value;
  }

  private id(node: Node, owner: string): string | undefined {
    const value = this.string(node, 'id');
    if (value === undefined) return undefined;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(value)) {
      this.error(node, `A ${owner} id is letters, digits, \`.\`, \`_\` and \`-\` (so it can be typed on a command line); \`${value}\` is not.`);
      return undefined;
    }
    return value;
  }

  /** A root-relative path: no absolute paths, no `..`, `/` separators; returned normalized. */
  private path(node: Node, key: string): string | undefined {
    const value = this.string(node, key);
    if (value === undefined) return undefined;
    return this.checkRelative(node, key, value) ? normalize(value) : undefined;
  }

  private checkRelative(node: Node, key: string, value: string): boolean {
    if (value.trim() === '') {
      this.error(node, `\`${key}\` is empty.`);
      return false;
    }
    if (/^([/~]|[A-Za-z]:)/.test(value)) {
      this.error(node, `\`${key}\` must be a relative path; \`${value}\` is absolute.`);
      return false;
    }
    if (value.includes('\\')) {
      this.error(node, `Write paths with \`/\`, not \`\\\`: \`${value}\`.`);
      return false;
    }
    if (value.split('/').includes('..')) {
      this.error(node, `\`${key}\` must stay inside the workspace; \`${value}\` climbs out with \`..\`.`);
      return false;
    }
    return true;
  }

  private glob(node: Node, key: string): string | undefined {
    const value = this.string(node, key);
    if (value === undefined) return undefined;
    if (/^([/~]|[A-Za-z]:)/.test(value)) {
      this.error(node, `\`${key}\` must be relative to \`root\`; \`${value}\` is absolute.`);
      return undefined;
    }
    if (value.split('/').includes('..')) {
      this.error(node, `\`${key}\` must stay inside the workspace; \`${value}\` climbs out with \`..\`.`);
      return undefined;
    }
    const compiled = compileGlob(value);
    if (!compiled.ok) {
      this.error(node, `\`${value}\` is not a valid glob: ${compiled.message}.`, compiled.offset);
      return undefined;
    }
    return value;
  }

  private globs(node: Node | undefined, key: string): string[] {
    const out: string[] = [];
    for (const item of this.list(node, key, 'a list of globs')) {
      const glob = this.glob(item, key);
      if (glob !== undefined) out.push(glob);
    }
    return out;
  }

  // ---- positions and reports ----------------------------------------------------------------------------------

  private position(node: Node): PlanPosition {
    return this.lines.position(node.range?.[0] ?? 0);
  }

  /** Reports at a node; `offset` points inside a scalar's value (skipping its opening quote). */
  private error(node: Node, message: string, offset?: number): void {
    this.reportAt(node, 'error', message, offset);
  }

  private warning(node: Node, message: string): void {
    this.reportAt(node, 'warning', message);
  }

  private reportAt(node: Node, severity: Problem['severity'], message: string, offset?: number): void {
    let start = node.range?.[0] ?? 0;
    if (offset !== undefined && isScalar(node)) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      start += offset + (quoted ? 1 : 0);
    }
    this.report(start, severity, message);
  }

  private report(offset: number, severity: Problem['severity'], message: string): void {
    this.problems.push({ file: this.file, ...this.lines.position(offset), severity, message });
  }
}

function describe(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null) return 'nothing';
    if (typeof value === 'string') return `the text \`${value}\``;
    return `the ${typeof value} \`${String(value)}\``;
  }
  return 'an alias';
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** yaml's messages end with ` at line N, column M:` and a code frame; the problem carries the position already. */
function cleanYamlMessage(message: string): string {
  const first = message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
  return first.endsWith('.') ? first : `${first}.`;
}
