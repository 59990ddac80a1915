/**
 * Drafts a `relayout.yaml` from a Markdown reorganization proposal:
 * - the layout from the fenced tree diagrams of the proposed structure (overview and detailed; the detailed one's
 *   order and descriptions win), with `# comments` on tree lines as descriptions and files as expected files;
 * - rules from "current → proposed" bullets (`- \`root/x/*\` → \`root/y/*\/\` (note)`);
 * - phases from `### Phase N: Title` headings and their numbered `1. **Step**: description` items, each step's action
 *   inferred from its words and each move step given the rules whose destination its words name.
 * Whatever it cannot map becomes a YAML comment in the plan and a note, never a silent drop.
 *
 * Documents pasted from web pages are accepted as they come: header lines before the title, lone `|` lines between
 * text lines, tree lines indented by two or four characters per level.
 */
import { compileGlob, matchGlob } from './glob';
import { loadPlan } from './load';
import type { Plan, StepAction } from './types';
import type { Problem } from '../types';

export interface ImportResult {
  /** The drafted plan file, with comments. */
  planText: string;
  /** The draft as loaded by `loadPlan`; undefined if it does not load (see `problems`). */
  plan: Plan | undefined;
  /** `loadPlan`'s problems on the draft (warnings such as rules no step applies are expected in a draft). */
  problems: Problem[];
  /** Everything the import guessed or could not map, one sentence each (also written as comments in `planText`). */
  notes: string[];
}

/**
 * Drafts a plan from `markdown`. `file` is the proposal's workspace-relative path (recorded as `proposal:` and in
 * notes); `planFile` the path the plan will be loaded from.
 */
export function importProposal(markdown: string, file: string, planFile = 'relayout.yaml'): ImportResult {
  const doc = readDocument(markdown);
  const notes: string[] = [];
  const tree = chooseLayout(doc.fences, notes);
  const root = tree?.root ?? commonRoot(doc.mappings) ?? '.';
  const layout = tree ? layoutFolders(tree) : [];
  const rules = translateMappings(doc.mappings, root, notes);
  const phases = buildPhases(doc.phases, rules, layout, notes);
  const planText = render({ doc, file, root, layout, rules, phases, current: doc.fences.filter((f) => f.role === 'current') });
  const loaded = loadPlan(planText, planFile);
  return { planText, plan: loaded.plan, problems: loaded.problems, notes };
}

// ---- reading the document ------------------------------------------------------------------------------------

interface TreeEntry {
  /** Path below the tree's root, no trailing slash. */
  path: string;
  folder: boolean;
  comment?: string;
}

interface Fence {
  headings: string[];
  role: 'proposed' | 'current' | 'unknown';
  /** The raw non-noise lines, for quoting. */
  lines: string[];
  root?: string;
  entries: TreeEntry[];
}

interface Mapping {
  from: string;
  to: string;
  annotation?: string;
  category?: string;
  line: number;
}

interface ProposalStep {
  number: number;
  title: string;
  description?: string;
}

interface ProposalPhase {
  number: number;
  title: string;
  steps: ProposalStep[];
}

interface ProposalDocument {
  title?: string;
  fences: Fence[];
  mappings: Mapping[];
  phases: ProposalPhase[];
}

const FENCE = /^\s*(```|~~~)/;
const HEADING = /^(#{1,6})\s+(.*?)\s*#*\s*$/;
const MAPPING = /^\s*[-*+]\s+`([^`]+)`\s*(?:→|->|=>|⟶)\s*`([^`]+)`\s*(.*)$/;
const CATEGORY = /^\s*\*\*(.+?)\*\*\s*:?\s*$/;
const PHASE = /^phase\s+(\d+)\s*[:.\-–—]\s*(.+)$/i;
const NUMBERED = /^\s*(\d+)[.)]\s+(?:\*\*(.+?)\*\*|__(.+?)__)\s*:?\s*(.*)$/;
const NUMBERED_PLAIN = /^\s*(\d+)[.)]\s+([^:]{2,60}):\s+(.+)$/;

function readDocument(markdown: string): ProposalDocument {
  const lines = markdown.replace(/^\uFEFF/, '').split(/\r?\n/);
  const doc: ProposalDocument = { fences: [], mappings: [], phases: [] };
  const headings: string[] = [];
  let fence: Fence | undefined;
  let fenceMarker = '';
  let category: string | undefined;
  let phase: ProposalPhase | undefined;
  let phaseLevel = 0;
  for (let index = 0; index < lines.length; index++) {
    // A page pasted from the web ends its last line with ` |`; a lone `|` line is the same noise.
    const line = lines[index].replace(/(\S)\s+\|\s*$/, '$1');
    if (line.trim() === '|') continue;
    const fenceMatch = FENCE.exec(line);
    if (fence) {
      if (fenceMatch && fenceMatch[1] === fenceMarker) {
        parseTree(fence);
        doc.fences.push(fence);
        fence = undefined;
      } else if (line.trim() !== '') fence.lines.push(line);
      continue;
    }
    if (fenceMatch) {
      fence = { headings: [...headings], role: fenceRole(headings), lines: [], entries: [] };
      fenceMarker = fenceMatch[1];
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const level = heading[1].length;
      const text = heading[2].replace(/\*\*/g, '').trim();
      headings.length = level - 1;
      headings[level - 1] = text;
      if (level === 1 && doc.title === undefined) doc.title = text;
      category = undefined;
      const phaseMatch = PHASE.exec(text);
      if (phaseMatch) {
        phase = { number: Number(phaseMatch[1]), title: phaseMatch[2].trim(), steps: [] };
        phaseLevel = level;
        doc.phases.push(phase);
      } else if (phase && level <= phaseLevel) phase = undefined;
      continue;
    }
    const categoryMatch = CATEGORY.exec(line);
    if (categoryMatch) {
      category = categoryMatch[1].replace(/:$/, '').trim();
      continue;
    }
    const mapping = MAPPING.exec(line);
    if (mapping) {
      const annotation = mapping[3].trim().replace(/^\((.*)\)$/, '$1').trim();
      doc.mappings.push({ from: mapping[1].trim(), to: mapping[2].trim(), annotation: annotation || undefined, category, line: index + 1 });
      continue;
    }
    const step = phase ? numberedItem(line) : undefined;
    if (phase && step) phase.steps.push(step);
  }
  if (fence) {
    // An unclosed fence runs to the end of the document, as Markdown renders it.
    parseTree(fence);
    doc.fences.push(fence);
  }
  return doc;
}

/** `1. **Title**: description`, or `1. Title: description` without bold. */
function numberedItem(line: string): ProposalStep | undefined {
  const bold = NUMBERED.exec(line);
  if (bold) {
    const title = (bold[2] ?? bold[3]).replace(/:$/, '').trim();
    return { number: Number(bold[1]), title, description: bold[4].trim() || undefined };
  }
  const plain = NUMBERED_PLAIN.exec(line);
  return plain ? { number: Number(plain[1]), title: plain[2].trim(), description: plain[3].trim() } : undefined;
}

/** The nearest heading that says "proposed" or "current" decides what a diagram shows. */
function fenceRole(headings: string[]): Fence['role'] {
  for (let i = headings.length - 1; i >= 0; i--) {
    const heading = headings[i] ?? '';
    if (/current|existing|today|as-is/i.test(heading)) return 'current';
    if (/propos|target|new structure|future|to-be/i.test(heading)) return 'proposed';
  }
  return 'unknown';
}

const BRANCH = /^(.*?)(├──|└──|\|--|`--|\+--)\s?(.*)$/;

/**
 * Reads a fenced tree diagram; a fence without tree lines keeps no entries. Depth comes from the `│` bars of the
 * prefix and which ancestors were last children (`└──`), not from its width: pasting often collapses the blank
 * columns under a last child, and a last child can have no later sibling, which settles the depth.
 */
function parseTree(fence: Fence): void {
  const stack: { name: string; last: boolean }[] = [];
  for (const line of fence.lines) {
    const branch = BRANCH.exec(line);
    if (!branch) {
      const rootMatch = /^\s*([^\s│├└#][^#]*?)\/\s*(?:#.*)?$/.exec(line);
      if (rootMatch && stack.length === 0 && fence.root === undefined) fence.root = rootMatch[1].trim();
      continue;
    }
    if (!/^[\s│|]*$/.test(branch[1])) continue;
    const [text, comment] = splitComment(branch[3]);
    if (text === '') continue;
    const bars = (branch[1].match(/[│|]/g) ?? []).length;
    const depth = treeDepth(stack, bars);
    stack.length = depth;
    const folder = text.endsWith('/');
    const name = folder ? text.slice(0, -1) : text;
    stack.push({ name, last: branch[2] === '└──' || branch[2] === '`--' });
    fence.entries.push({ path: stack.map((e) => e.name).join('/'), folder, comment });
  }
}

/** The depth whose prefix shows `bars` bars and where the new entry is not a sibling after a last child. */
function treeDepth(stack: { last: boolean }[], bars: number): number {
  let shown = 0;
  for (let depth = 0; depth <= stack.length; depth++) {
    if (shown === bars && (depth === stack.length || !stack[depth].last)) return depth;
    if (depth < stack.length && !stack[depth].last) shown++;
  }
  return Math.min(bars, stack.length);
}

function splitComment(text: string): [string, string | undefined] {
  const hash = text.search(/\s#\s?/);
  if (hash < 0) return [text.trim(), undefined];
  return [text.slice(0, hash).trim(), text.slice(hash).replace(/^\s#\s?/, '').trim() || undefined];
}

// ---- layout --------------------------------------------------------------------------------------------------

interface Tree {
  root: string;
  entries: TreeEntry[];
}

/** Merges the proposed-structure trees: the one with the most entries leads; the others add what it lacks. */
function chooseLayout(fences: Fence[], notes: string[]): Tree | undefined {
  const trees = fences.filter((f) => f.entries.length > 0);
  let proposed = trees.filter((f) => f.role === 'proposed');
  const unmarked = trees.filter((f) => f.role === 'unknown');
  if (proposed.length === 0) {
    proposed = unmarked;
    if (proposed.length > 0) notes.push('No tree diagram sits under a "proposed" heading; the layout comes from the diagrams not marked as current.');
  } else if (unmarked.length > 0) {
    notes.push(`${unmarked.length} tree diagram(s) under headings that say neither "proposed" nor "current" are not part of the layout.`);
  }
  if (proposed.length === 0) {
    notes.push('The proposal has no tree diagram of the proposed structure, so the plan has no layout.');
    return undefined;
  }
  const lead = [...proposed].sort((a, b) => b.entries.length - a.entries.length)[0];
  const entries = new Map<string, TreeEntry>(lead.entries.map((e) => [e.path, { ...e }]));
  for (const other of proposed) {
    if (other === lead) continue;
    for (const entry of other.entries) {
      const known = entries.get(entry.path);
      if (!known) entries.set(entry.path, { ...entry });
      else if (known.comment === undefined && entry.comment !== undefined) known.comment = entry.comment;
    }
  }
  for (const [path, entry] of entries) {
    if (path.split('/').some((segment) => /^\.\.?$|^…$|^\.\.\.$|[*?{}\\]/.test(segment))) {
      notes.push(`The tree entry \`${path}${entry.folder ? '/' : ''}\` is not a plain file or folder name, so it is not part of the layout.`);
      entries.delete(path);
    }
  }
  const roots = new Set(proposed.map((f) => f.root).filter((r): r is string => r !== undefined));
  if (roots.size > 1) notes.push(`The proposed trees start at different folders (${[...roots].join(', ')}); the plan uses ${lead.root}.`);
  return { root: lead.root ?? '.', entries: [...entries.values()] };
}

interface LayoutDraft {
  path: string;
  description?: string;
  expect: { name: string; comment?: string }[];
}

function layoutFolders(tree: Tree): LayoutDraft[] {
  const folders = new Map<string, LayoutDraft>();
  for (const entry of tree.entries) {
    if (entry.folder) folders.set(entry.path, { path: entry.path, description: entry.comment, expect: [] });
  }
  for (const entry of tree.entries) {
    if (entry.folder) continue;
    const slash = entry.path.lastIndexOf('/');
    const parent = slash < 0 ? '.' : entry.path.slice(0, slash);
    let folder = folders.get(parent);
    if (!folder) {
      folder = { path: parent, expect: [] };
      folders.set(parent, folder);
    }
    folder.expect.push({ name: entry.path.slice(slash + 1), comment: entry.comment });
  }
  const root = folders.get('.');
  const rest = [...folders.values()].filter((f) => f.path !== '.');
  return root ? [root, ...rest] : rest;
}

// ---- rules ---------------------------------------------------------------------------------------------------

interface RuleDraft {
  id: string;
  from: string;
  to: string;
  category?: string;
  note?: string;
  comments: string[];
}

function commonRoot(mappings: Mapping[]): string | undefined {
  const firsts = new Set(mappings.map((m) => m.from.split('/')[0]));
  return firsts.size === 1 ? [...firsts][0] : undefined;
}

/** Reads the proposal's loose `from → to` notation as precise rules (see the plan's comments for how). */
function translateMappings(mappings: Mapping[], root: string, notes: string[]): RuleDraft[] {
  const drafts: RuleDraft[] = [];
  const ids = new Set<string>();
  const prefix = root === '.' ? '' : `${root}/`;
  for (const mapping of mappings) {
    const from = stripRoot(mapping.from, prefix);
    const to = stripRoot(mapping.to, prefix);
    if (from === undefined || to === undefined) {
      notes.push(`Mapping \`${mapping.from}\` → \`${mapping.to}\` (line ${mapping.line}) does not lie under ${root}/, so it is not a rule.`);
      continue;
    }
    const translated = translate(from, to);
    if (!translated) {
      notes.push(`Mapping \`${mapping.from}\` → \`${mapping.to}\` (line ${mapping.line}) uses more wildcards on the right than on the left, so it is not a rule.`);
      continue;
    }
    const base = slug(from.replace(/\*\.(\w+)$/, '$1').replace(/(\/[^/*]+)\.\w+$/, '$1').replace(/\*/g, '')) || 'rule';
    for (const draft of translated) {
      const id = uniqueId(draft.files ? `${base}-files` : base, ids);
      const comments = draft.review ? [`review: ${draft.review}`] : [];
      if (draft.review) notes.push(`Rule \`${id}\`: ${draft.review}`);
      drafts.push({ id, from: draft.from, to: draft.to, category: mapping.category, note: mapping.annotation, comments });
    }
  }
  return orderBySpecificity(drafts, notes);
}

function stripRoot(path: string, prefix: string): string | undefined {
  if (prefix === '') return path.replace(/^\.?\//, '');
  if (path === prefix.slice(0, -1)) return '';
  return path.startsWith(prefix) ? path.slice(prefix.length) : undefined;
}

interface Translation {
  from: string;
  to: string;
  review?: string;
  /** The companion rule for the files directly in a folder whose subfolders another rule moves. */
  files?: boolean;
}

/** One mapping bullet as rules; undefined when the right side uses wildcards the left side lacks. */
function translate(from: string, to: string): Translation[] | undefined {
  const fromSegments = from.replace(/\/$/, '').split('/');
  const toSegments = to.replace(/\/$/, '').split('/');
  const fromLast = fromSegments[fromSegments.length - 1];
  const toLast = toSegments[toSegments.length - 1];
  const wildcards = (text: string): number => (text.match(/\*/g) ?? []).length;
  if (wildcards(to) > wildcards(from)) return undefined;
  if (from.endsWith('/')) {
    // `X/` → `Y/`: the folder X becomes Y.
    return [{ from, to: numberWildcards(toSegments.join('/')) }];
  }
  if (fromLast === '*' && toLast === '*' && wildcards(from) === wildcards(to)) {
    // `X/*` → `Y/*/`: what X holds goes to Y under the same name: each folder whole, and each file.
    const parent = `${numberWildcards(toSegments.slice(0, -1).join('/'))}/`;
    return [
      { from: `${fromSegments.join('/')}/`, to: numberWildcards(toSegments.join('/')) },
      { from: fromSegments.join('/'), to: parent, files: true },
    ];
  }
  if (fromLast !== '*' && fromLast.includes('*') && toLast === '*') {
    // `X/*.sh` → `Y/*/`: the files keep their names in Y.
    return [{ from: fromSegments.join('/'), to: `${numberWildcards(toSegments.slice(0, -1).join('/'))}/` }];
  }
  const numbered = numberWildcards(toSegments.join('/'));
  const usesWholeName = fromLast === '*' && wildcards(to) > 0;
  return [
    {
      from: fromSegments.join('/'),
      to: to.endsWith('/') ? `${numbered}/` : numbered,
      review: usesWholeName
        ? `\`$${wildcards(from)}\` is a whole file name here, used as a folder name; the proposal means something the name only contains (e.g. a service or environment). Narrow \`from\` (e.g. \`*-job.yaml\`) so $1 captures just that.`
        : undefined,
    },
  ];
}

function numberWildcards(template: string): string {
  let n = 0;
  return template.replace(/\*/g, () => `$${++n}`);
}

/** Moves a rule before an earlier, more general rule that would otherwise take its files first. */
function orderBySpecificity(drafts: RuleDraft[], notes: string[]): RuleDraft[] {
  const ordered: RuleDraft[] = [];
  for (const draft of drafts) {
    const probe = samplePath(draft.from);
    const shadow = ordered.findIndex((earlier) => mayTake(earlier.from, probe));
    if (shadow < 0) {
      ordered.push(draft);
      continue;
    }
    const general = ordered[shadow];
    const sentence = `placed before \`${general.id}\`, which would otherwise take these files first (the proposal lists it later)`;
    draft.comments.push(sentence);
    notes.push(`Rule \`${draft.id}\` ${sentence}.`);
    ordered.splice(shadow, 0, draft);
  }
  return ordered;
}

/** A file a glob matches, with every wildcard read as `x` (an alternation as its first choice). */
function samplePath(glob: string): string {
  const folder = glob.endsWith('/');
  const path = glob
    .replace(/\/$/, '')
    .replace(/\{([^,}]*)[^}]*\}/g, '$1')
    .replace(/\*\*|\*|\?/g, 'x');
  return folder ? `${path}/x` : path;
}

/** Whether a rule with glob `from` takes `file` (itself, or through a folder it matches). */
function mayTake(from: string, file: string): boolean {
  const compiled = compileGlob(from);
  if (!compiled.ok) return false;
  if (!compiled.glob.folder) return matchGlob(compiled.glob, file) !== undefined;
  const segments = file.split('/');
  return segments.some((_, i) => i > 0 && matchGlob(compiled.glob, segments.slice(0, i).join('/')) !== undefined);
}

// ---- phases --------------------------------------------------------------------------------------------------

interface StepDraft {
  id: string;
  title: string;
  description?: string;
  action: StepAction | undefined;
  rules: string[];
  with?: { from: string; name: string };
  comments: string[];
}

interface PhaseDraft {
  id: string;
  title: string;
  steps: StepDraft[];
}

/** Action inference, first match wins; `null` marks steps Relayout does not carry out. */
const ACTION_WORDS: [RegExp, StepAction | null][] = [
  [/training|workshop|communicat/i, null],
  [/inventory/i, 'inventory'],
  [/dependenc/i, 'dependency-map'],
  [/impact/i, 'impact'],
  [/backup|back up|snapshot/i, 'backup'],
  [/create.*environment|environment.*(structure|scaffold)|scaffold/i, 'create-environment'],
  [/validat|testing|\btests?\b|verif|references/i, 'validate'],
  [/documentation|\bdocs?\b/i, 'docs'],
  [/clean ?up|remove old|decommission/i, 'cleanup'],
  [/script|monitoring|ci\/?cd|pipeline|migrat|organi[sz]|component|manifest|\bmove\b|relocat|database/i, 'move'],
];

function inferAction(title: string): StepAction | null | undefined {
  for (const [pattern, action] of ACTION_WORDS) if (pattern.test(title)) return action;
  return undefined;
}

const STOP_WORDS = new Set([
  'and', 'the', 'to', 'of', 'all', 'into', 'new', 'move', 'other', 'each', 'for', 'with', 'by', 'in', 'on', 'a', 'an',
  'component', 'structure', 'appropriate', 'location', 'file', 'ensure', 'update', 'set', 'up',
]);

function words(text: string): Set<string> {
  const out = new Set<string>();
  for (const raw of text.toLowerCase().split(/[^a-z0-9/]+/)) {
    if (raw === '') continue;
    const parts = raw.split('/').filter(Boolean);
    // `CI/CD` is one word; other slash-joined text is a path, matched separately.
    if (parts.length === 2 && parts.every((p) => p.length <= 3)) parts.push(parts.join(''));
    for (const part of parts) {
      const stem = part.length > 3 && part.endsWith('s') ? part.slice(0, -1) : part;
      if (!STOP_WORDS.has(stem)) out.add(stem);
    }
  }
  return out;
}

/** Paths written in a step's text (`services/databases`), which name a destination precisely. */
function pathsIn(text: string): string[] {
  return [...text.matchAll(/\b([a-z0-9._-]+(?:\/[a-z0-9._-]+)+)\/?/gi)]
    .map((m) => m[1])
    .filter((p) => !p.split('/').every((part) => part.length <= 3));
}

function withoutPaths(text: string): string {
  return text.replace(/\b[a-z0-9._-]+(?:\/[a-z0-9._-]+)+\/?/gi, (path) => (path.split('/').every((p) => p.length <= 3) ? path : ' '));
}

function buildPhases(phases: ProposalPhase[], rules: RuleDraft[], layout: LayoutDraft[], notes: string[]): PhaseDraft[] {
  const stepIds = new Set<string>();
  const phaseIds = new Set<string>();
  const drafts: PhaseDraft[] = phases.map((phase) => ({
    id: uniqueId(`phase-${phase.number}`, phaseIds),
    title: phase.title,
    steps: phase.steps.map((step) => {
      const action = inferAction(step.title);
      const draft: StepDraft = {
        id: uniqueId(slug(step.title) || `step-${step.number}`, stepIds),
        title: step.title,
        description: step.description,
        action: action ?? undefined,
        rules: [],
        comments: [],
      };
      if (action === null) {
        const sentence = `Phase ${phase.number}, step ${step.number} "${step.title}" is not something Relayout carries out; it is kept here as a comment.`;
        draft.comments.push(sentence);
        notes.push(sentence);
      } else if (action === undefined) {
        const sentence = `Phase ${phase.number}, step ${step.number} "${step.title}": no action matches its words; it is kept here as a comment.`;
        draft.comments.push(sentence);
        notes.push(sentence);
      }
      return draft;
    }),
  }));
  assignRules(phases, drafts, rules, notes);
  for (const phase of drafts) {
    for (const step of phase.steps) {
      if (step.action !== 'create-environment') continue;
      const options = environmentToCreate(layout);
      if (options) {
        step.with = options;
        step.comments.push(`review: copies ${options.from} to ${options.name}, the environment the layout marks as new`);
      } else {
        const sentence = `Step "${step.title}": the layout shows no new environment folder to create, so the step is kept as a comment.`;
        step.action = undefined;
        step.comments.push(sentence);
        notes.push(sentence);
      }
    }
  }
  return drafts;
}

/** Gives each rule to the move step whose words best name its destination. */
function assignRules(phases: ProposalPhase[], drafts: PhaseDraft[], rules: RuleDraft[], notes: string[]): void {
  const candidates = drafts.flatMap((phase, p) =>
    phase.steps
      .map((step, s) => ({ step, source: phases[p].steps[s], phaseWords: words(phases[p].title) }))
      .filter((c) => c.step.action === 'move'),
  );
  for (const rule of rules) {
    const destination = rule.to.replace(/\$\d+/g, '');
    const target = words(destination.replace(/\//g, ' '));
    const category = words(rule.category ?? '');
    let best: (typeof candidates)[number] | undefined;
    let bestScore = 0;
    for (const candidate of candidates) {
      const text = `${candidate.source.title} ${candidate.source.description ?? ''}`;
      let score = 3 * pathsIn(text).filter((path) => destination.startsWith(path)).length;
      score += 2 * overlap(words(withoutPaths(text)), target);
      score += overlap(candidate.phaseWords, target);
      score += overlap(words(candidate.source.title), category);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
      }
    }
    if (best) best.step.rules.push(rule.id);
    else {
      const sentence = `no step of the proposal names its destination (${rule.to}); add it to a move step`;
      rule.comments.push(sentence);
      notes.push(`Rule \`${rule.id}\`: ${sentence}.`);
    }
  }
  for (const { step } of candidates) {
    if (step.rules.length > 0) {
      step.comments.push('rules chosen by the words this step shares with their destinations');
    } else {
      const sentence = `no mapping bullet of the proposal fits "${step.title}"; add the rules it should apply`;
      step.comments.push(sentence);
      notes.push(`Step "${step.title}": ${sentence}.`);
    }
  }
}

function overlap(a: Set<string>, b: Set<string>): number {
  let count = 0;
  for (const word of a) if (b.has(word)) count++;
  return count;
}

/** The environment the layout marks as new (a description saying "new"), copied from its richest sibling. */
function environmentToCreate(layout: LayoutDraft[]): { from: string; name: string } | undefined {
  const container = layout.find((f) => /(^|\/)environments?$/.test(f.path));
  if (!container) return undefined;
  const children = layout.filter((f) => f.path.startsWith(`${container.path}/`) && !f.path.slice(container.path.length + 1).includes('/'));
  const created = children.find((f) => /\bnew\b/i.test(f.description ?? ''));
  if (!created) return undefined;
  const size = (folder: LayoutDraft): number => layout.filter((f) => f.path.startsWith(`${folder.path}/`)).length;
  const source = children.filter((f) => f !== created).sort((a, b) => size(b) - size(a))[0];
  if (!source) return undefined;
  return { from: source.path, name: created.path.slice(container.path.length + 1) };
}

// ---- writing the plan ----------------------------------------------------------------------------------------

interface RenderInput {
  doc: ProposalDocument;
  file: string;
  root: string;
  layout: LayoutDraft[];
  rules: RuleDraft[];
  phases: PhaseDraft[];
  current: Fence[];
}

function render(input: RenderInput): string {
  const out: string[] = [];
  const title = input.doc.title;
  comment(out, '', `Relayout plan drafted from ${input.file}${title ? ` ("${title}")` : ''}. Comments starting with "review:" mark readings of the proposal to check before applying.`);
  for (const fence of input.current) {
    out.push('#', "# Today's layout, as the proposal describes it:");
    for (const line of fence.lines) out.push(`#   ${line}`);
  }
  out.push('version: 1');
  if (title) out.push(`title: ${scalar(title)}`);
  if (isRelativePath(input.file)) out.push(`proposal: ${scalar(input.file)}`);
  else comment(out, '', `The proposal was read from ${input.file}, outside the workspace, so the plan does not name it.`);
  out.push(`root: ${scalar(input.root)}`);

  out.push('');
  if (input.layout.length === 0) {
    comment(out, '', 'The proposal has no tree diagram of the proposed structure: list its folders here.');
    out.push('layout: []');
  } else {
    comment(out, '', "The proposed layout: every folder of the proposal's tree diagrams, with their comments as descriptions.");
    out.push('layout:');
    for (const folder of input.layout) {
      out.push(`  - path: ${scalar(folder.path)}`);
      if (folder.description) out.push(`    description: ${scalar(folder.description)}`);
      if (folder.expect.length > 0) {
        out.push('    expect:');
        for (const file of folder.expect) out.push(`      - ${scalar(file.name)}${file.comment ? `  # ${file.comment}` : ''}`);
      }
    }
  }

  out.push('');
  if (input.rules.length === 0) {
    comment(out, '', 'The proposal has no "current → proposed" mapping bullets: write the move rules here.');
    out.push('rules: []');
  } else {
    comment(
      out,
      '',
      'Move rules from the proposal\'s "current → proposed" mapping, in the order they are tried (first match wins). ' +
        "Its `X/*` → `Y/*/` is read as: what X holds goes to Y under the same name, each folder whole (rule `…`) and each file (rule `…-files`); " +
        'its `X/*.sh` → `Y/*/` and `X/f.sh` → `Y/` as: the files keep their names in Y; its `X/` → `Y/` as: the folder X becomes Y.',
    );
    out.push('rules:');
    let category: string | undefined;
    for (const rule of input.rules) {
      if (rule.category && rule.category !== category) comment(out, '  ', rule.category);
      category = rule.category;
      for (const text of rule.comments) comment(out, '  ', text);
      out.push(`  - id: ${scalar(rule.id)}`, `    from: ${scalar(rule.from)}`, `    to: ${scalar(rule.to)}`);
      if (rule.note) out.push(`    note: ${scalar(rule.note)}`);
    }
  }

  out.push('');
  if (input.phases.length === 0) {
    comment(out, '', 'The proposal has no "Phase N: Title" headings: write the phases here.');
    out.push('phases: []');
  } else {
    comment(out, '', 'The migration phases and their steps, in the proposal\'s order; each step\'s action is read from its title.');
    out.push('phases:');
    for (const phase of input.phases) {
      out.push(`  - id: ${scalar(phase.id)}`, `    title: ${scalar(phase.title)}`);
      const active = phase.steps.filter((s) => s.action !== undefined);
      out.push(active.length > 0 ? '    steps:' : '    steps: []');
      for (const step of phase.steps) {
        for (const text of step.comments) comment(out, '      ', text);
        const prefix = step.action === undefined ? '      # ' : '      ';
        const lines = [`- id: ${scalar(step.id)}`, `  title: ${scalar(step.title)}`];
        if (step.action) lines.push(`  action: ${step.action}`);
        if (step.description) lines.push(`  description: ${scalar(step.description)}`);
        if (step.action === 'move') lines.push(`  rules: [${step.rules.map(scalar).join(', ')}]`);
        if (step.with) lines.push(`  with: {from: ${scalar(step.with.from)}, name: ${scalar(step.with.name)}}`);
        for (const line of lines) out.push(prefix + line);
      }
    }
  }
  return `${out.join('\n')}\n`;
}

/** Writes `text` as `#` comment lines of at most ~110 characters. */
function comment(out: string[], indent: string, text: string): void {
  const width = 110 - indent.length - 2;
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && line.length + 1 + word.length > width) {
      out.push(`${indent}# ${line}`);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  out.push(`${indent}# ${line}`);
}

/** A YAML scalar: plain when that is unambiguous, otherwise double-quoted (JSON strings are valid YAML). */
function scalar(text: string): string {
  const plain = /^[A-Za-z0-9_.][A-Za-z0-9 _./()-]*$/.test(text) && !/\s$/.test(text);
  const ambiguous = /^(true|false|yes|no|on|off|null|~|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$/i.test(text);
  return plain && !ambiguous ? text : JSON.stringify(text);
}

function isRelativePath(path: string): boolean {
  return path !== '' && !/^([/~\\]|[A-Za-z]:)/.test(path) && !path.split('/').includes('..');
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

function uniqueId(base: string, taken: Set<string>): string {
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}
