import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { compilePlan } from '../../../../src/core/plan/compile';
import { importProposal } from '../../../../src/core/plan/importProposal';
import { formatProblem, loadPlan } from '../../../../src/core/plan/load';
import { movePath } from '../../../../src/core/paths';
import type { Plan } from '../../../../src/core/plan/types';

const SHARED_PROPOSAL = path.resolve(__dirname, '../../../../../shared/proposal/infrastructure-reorganization-proposal.md');
const SAMPLE = path.resolve(__dirname, '../../../../sample/bakery-ia');

function imported(markdown: string, file = 'docs/proposal.md'): { plan: Plan; planText: string; notes: string[] } {
  const result = importProposal(markdown, file);
  const errors = result.problems.filter((p) => p.severity === 'error');
  assert.deepEqual(errors.map(formatProblem), [], result.planText);
  assert.ok(result.plan);
  return { plan: result.plan, planText: result.planText, notes: result.notes };
}

/** The lines of the document's biggest fenced block, with the pasted-page `|` lines dropped. */
function biggestFence(markdown: string): string[] {
  const blocks = markdown.split(/^```.*$/m).filter((_, i) => i % 2 === 1);
  const cleaned = blocks.map((block) => block.split('\n').filter((line) => line.trim() !== '' && line.trim() !== '|'));
  return cleaned.sort((a, b) => b.length - a.length)[0];
}

describe('importProposal on the shared Bakery-IA proposal', () => {
  const markdown = readFileSync(SHARED_PROPOSAL, 'utf8');
  const { plan, planText, notes } = imported(markdown);

  it('loads without errors and restructures the tree diagram’s root', () => {
    assert.equal(plan.root, 'infrastructure');
    assert.equal(plan.title, 'Infrastructure Reorganization Proposal for Bakery-IA');
    assert.equal(plan.proposal, 'docs/proposal.md');
  });

  it('has every folder of the detailed tree in its layout, at the right depth', () => {
    const tree = biggestFence(markdown);
    const folderLines = tree.filter((line) => line.replace(/\s+#.*$/, '').trimEnd().endsWith('/'));
    const rootLines = folderLines.filter((line) => !/[├└]/.test(line));
    assert.equal(rootLines.length, 1, 'one root line, `infrastructure/`');
    const folders = plan.layout.filter((f) => f.path !== '.');
    assert.equal(folders.length, folderLines.length - 1);
    const paths = new Set(folders.map((f) => f.path));
    for (const deep of [
      'environments/prod/terraform',
      'environments/dev/k8s-manifests/components/cert-manager',
      'platform/cluster/kind/manifests',
      'platform/networking/ingress/nginx',
      'platform/security/tls/minio',
      'services/databases/minio/policies',
      'services/microservices/frontend/configs',
      'monitoring/opentelemetry/agent',
      'security/compliance/audit-scripts',
      'docs/reference/configurations',
    ]) {
      assert.ok(paths.has(deep), `layout lacks ${deep}`);
    }
    assert.ok(!paths.has('ci-cd') && !paths.has('tls'), 'the current-structure diagram is not part of the proposed layout');
  });

  it('takes descriptions from the tree comments and files as expected files', () => {
    const byPath = new Map(plan.layout.map((f) => [f.path, f]));
    assert.equal(byPath.get('environments/staging')?.description, 'New staging environment');
    assert.equal(byPath.get('platform/cluster/eks')?.description, 'AWS EKS configuration');
    assert.equal(byPath.get('monitoring')?.description, 'Observability stack');
    assert.deepEqual(byPath.get('cicd/flux')?.expect, ['git-repository.yaml', 'kustomization.yaml']);
    assert.deepEqual(byPath.get('.')?.expect, ['README.md']);
    assert.match(planText, /- README\.md {2}# Top-level infrastructure guide/);
    assert.equal(byPath.get('monitoring/signoz/dashboards')?.expect.length, 10);
  });

  it('turns the five phases into plan phases with their steps in order, each an action', () => {
    assert.deepEqual(
      plan.phases.map((p) => [p.id, p.title, p.steps.map((s) => s.action)]),
      [
        ['phase-1', 'Preparation and Planning', ['inventory', 'dependency-map', 'impact', 'backup']],
        ['phase-2', 'Non-Critical Components', ['docs', 'move', 'move', 'move']],
        ['phase-3', 'Environment-Specific Components', ['create-environment', 'move', 'validate', 'validate']],
        ['phase-4', 'Service Components', ['move', 'move', 'move', 'validate']],
        ['phase-5', 'Finalization', ['validate', 'docs', 'cleanup']],
      ],
    );
    assert.deepEqual(plan.phases[2].steps[0].createEnvironment, { from: 'environments/dev', name: 'staging' });
    assert.equal(plan.phases[0].steps[0].description, 'Complete detailed inventory of all current files');
  });

  it('keeps Team Training, which Relayout does not carry out, as a comment and a note', () => {
    assert.match(planText, /# +title: Team Training/);
    assert.ok(notes.some((n) => n.includes('"Team Training" is not something Relayout carries out')));
  });

  it('turns every mapping bullet into rules, more specific rules first', () => {
    const bullets = markdown.split('\n').filter((line) => /^- `[^`]+` → `[^`]+`/.test(line));
    assert.equal(bullets.length, 11);
    const byId = new Map(plan.rules.map((r) => [r.id, r]));
    assert.deepEqual(
      plan.rules.map((r) => [r.id, r.from, r.to]),
      [
        ['kubernetes-base-components-databases', 'kubernetes/base/components/databases/*/', 'services/databases/$1'],
        ['kubernetes-base-components-databases-files', 'kubernetes/base/components/databases/*', 'services/databases/'],
        ['kubernetes-base-components', 'kubernetes/base/components/*/', 'services/microservices/$1'],
        ['kubernetes-base-components-files', 'kubernetes/base/components/*', 'services/microservices/'],
        ['kubernetes-base-migrations', 'kubernetes/base/migrations/*', 'services/microservices/$1/migrations/'],
        ['kubernetes-base-configs', 'kubernetes/base/configs/*', 'environments/$1/values/'],
        ['ci-cd', 'ci-cd/*/', 'cicd/$1'],
        ['ci-cd-files', 'ci-cd/*', 'cicd/'],
        ['signoz', 'signoz/*/', 'monitoring/signoz/$1'],
        ['signoz-files', 'signoz/*', 'monitoring/signoz/'],
        ['helm', 'helm/*/', 'monitoring/signoz/$1'],
        ['helm-sh', 'helm/*.sh', 'scripts/deployment/'],
        ['helm-files', 'helm/*', 'monitoring/signoz/'],
        ['tls', 'tls/*/', 'security/certificates/$1'],
        ['tls-sh', 'tls/*.sh', 'scripts/setup/'],
        ['tls-files', 'tls/*', 'security/certificates/'],
        ['kubernetes-sh', 'kubernetes/*.sh', 'scripts/'],
      ],
    );
    assert.equal(byId.get('helm')?.note, 'signoz-related');
    assert.equal(byId.get('helm-files')?.note, 'signoz-related');
    assert.ok(notes.some((n) => n.startsWith('Rule `kubernetes-base-components-databases` placed before `kubernetes-base-components`')));
    assert.ok(notes.some((n) => n.startsWith('Rule `tls-sh` placed before `tls-files`')));
    assert.match(planText, /# review: `\$1` is a whole file name here/);
  });

  it('gives each move step the rules whose destinations its words name, and says which rules no step takes', () => {
    const steps = new Map(plan.phases.flatMap((p) => p.steps).map((s) => [s.id, s.rules]));
    assert.deepEqual(steps.get('scripts'), ['helm-sh', 'tls-sh', 'kubernetes-sh']);
    assert.deepEqual(steps.get('monitoring'), ['signoz', 'signoz-files', 'helm', 'helm-files']);
    assert.deepEqual(steps.get('ci-cd'), ['ci-cd', 'ci-cd-files']);
    assert.deepEqual(steps.get('microservice-organization'), ['kubernetes-base-components', 'kubernetes-base-components-files']);
    assert.ok(steps.get('database-migration')?.includes('kubernetes-base-components-databases'));
    assert.deepEqual(steps.get('infrastructure-components'), []);
    assert.ok(notes.some((n) => n.startsWith('Rule `tls`: no step of the proposal names its destination')));
  });
});

describe('importProposal on the sample’s own proposal (sample/bakery-ia/docs/proposal.md)', () => {
  const markdown = readFileSync(path.join(SAMPLE, 'docs/proposal.md'), 'utf8');
  const result = importProposal(markdown, 'docs/proposal.md');
  const handWritten = loadPlan(readFileSync(path.join(SAMPLE, 'relayout.yaml'), 'utf8'), 'relayout.yaml').plan!;
  const listFiles = (folder: string): string[] =>
    readdirSync(path.join(SAMPLE, folder), { withFileTypes: true }).flatMap((entry) => {
      const relative = folder === '' ? entry.name : `${folder}/${entry.name}`;
      return entry.isDirectory() ? listFiles(relative) : [relative];
    });
  const files = listFiles('');

  /** Where each file under infrastructure/ ends up under a plan. */
  function destinations(plan: Plan): Map<string, string> {
    const { moves } = compilePlan(plan, files);
    return new Map(
      files
        .filter((file) => file.startsWith('infrastructure/'))
        .map((file) => [file, moves.reduce<string | undefined>((at, m) => at ?? movePath(file, m.from, m.to), undefined) ?? file]),
    );
  }

  it('drafts a plan that loads without a single problem', () => {
    assert.deepEqual(result.problems.map(formatProblem), []);
    assert.deepEqual(result.notes, ['Phase 5, step 3 "Team Training" is not something Relayout carries out; it is kept here as a comment.']);
  });

  it('moves every file where the hand-written relayout.yaml does', () => {
    const imported = destinations(result.plan!);
    const intended = destinations(handWritten);
    assert.equal(imported.size, 177);
    assert.deepEqual([...imported].filter(([file, to]) => intended.get(file) !== to), []);
  });

  it('has a layout inside the hand-written plan’s and the same phase shape as the shared proposal', () => {
    const layout = new Set(handWritten.layout.map((f) => f.path));
    assert.deepEqual(result.plan!.layout.map((f) => f.path).filter((p) => !layout.has(p)), []);
    assert.deepEqual(
      result.plan!.phases.map((p) => p.steps.map((s) => s.action)),
      [
        ['inventory', 'dependency-map', 'impact', 'backup'],
        ['docs', 'move', 'move', 'move'],
        ['create-environment', 'move', 'validate', 'validate'],
        ['move', 'move', 'move', 'validate'],
        ['validate', 'docs', 'cleanup'],
      ],
    );
  });
});

describe('importProposal on other shapes of document', () => {
  const DOC = `# Platform move

## Proposed layout

\`\`\`text
infra/
|-- apps/            # Applications
|   |-- web/
|   |-- api/
|   \`-- ...
\`-- ops/
    \`-- scripts/     # Scripts for operators
\`\`\`

## Mapping

- \`infra/k8s/apps/*\` → \`infra/apps/*/\`
- \`elsewhere/x.yaml\` → \`infra/ops/x.yaml\`
- \`infra/a\` → \`infra/b/*/c\`

## Phases

### Phase 1: Everything
1. Move Apps: relocate the app folders
2. **Celebrate**: with cake
`;

  const { plan, planText, notes } = imported(DOC);

  it('reads an ASCII tree indented four characters per level', () => {
    assert.equal(plan.root, 'infra');
    assert.deepEqual(
      plan.layout.map((f) => [f.path, f.description]),
      [
        ['apps', 'Applications'],
        ['apps/web', undefined],
        ['apps/api', undefined],
        ['ops', undefined],
        ['ops/scripts', 'Scripts for operators'],
      ],
    );
  });

  it('writes what it cannot map as comments and notes, never dropping it silently', () => {
    assert.deepEqual(plan.rules.map((r) => [r.id, r.from, r.to]), [
      ['k8s-apps', 'k8s/apps/*/', 'apps/$1'],
      ['k8s-apps-files', 'k8s/apps/*', 'apps/'],
    ]);
    assert.ok(notes.some((n) => n.includes('`elsewhere/x.yaml` → `infra/ops/x.yaml` (line 18) does not lie under infra/')));
    assert.ok(notes.some((n) => n.includes('`infra/a` → `infra/b/*/c` (line 19) uses more wildcards on the right')));
    assert.deepEqual(plan.phases[0].steps.map((s) => [s.id, s.action, s.rules]), [['move-apps', 'move', ['k8s-apps', 'k8s-apps-files']]]);
    assert.match(planText, /step 2 "Celebrate": no action matches its words/);
    assert.ok(notes.includes('The tree entry `apps/...` is not a plain file or folder name, so it is not part of the layout.'));
    assert.match(planText, /# +title: Celebrate/);
  });

  it('says so when there is no proposed tree, mapping or phase', () => {
    const empty = importProposal('# Just an idea\n\nWe should tidy up.\n', 'notes.md');
    assert.ok(empty.plan);
    assert.deepEqual(empty.plan.layout, []);
    assert.deepEqual(empty.plan.rules, []);
    assert.deepEqual(empty.plan.phases, []);
    assert.ok(empty.notes.some((n) => n.includes('no tree diagram of the proposed structure')));
    assert.match(empty.planText, /write the move rules here/);
  });
});
