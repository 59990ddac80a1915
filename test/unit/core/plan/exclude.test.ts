import { strict as assert } from 'node:assert';
import { excludePatterns } from '../../../../src/core/plan/exclude';
import { loadPlan } from '../../../../src/core/plan/load';

function planWith(root: string, exclude: string[]) {
  const text = `version: 1\nroot: ${root}\nexclude: ${JSON.stringify(exclude)}\n`;
  const { plan, problems } = loadPlan(text, 'relayout.yaml');
  assert.deepEqual(problems, []);
  return plan!;
}

describe('excludePatterns', () => {
  it('anchors each glob at the plan root, in .gitignore syntax', () => {
    assert.deepEqual(excludePatterns(planWith('infrastructure', ['**/.DS_Store', 'legacy/', 'tls/*.srl'])), [
      '/infrastructure/**/.DS_Store',
      '/infrastructure/legacy/',
      '/infrastructure/tls/*.srl',
    ]);
    assert.deepEqual(excludePatterns(planWith('.', ['*.bak'])), ['/*.bak']);
  });

  it("leaves out the plan's proposal, written as a literal path", () => {
    const { plan } = loadPlan('version: 1\nroot: infrastructure\nproposal: docs/[draft] proposal*.md\nexclude: ["*.tmp"]\n', 'relayout.yaml');
    assert.deepEqual(excludePatterns(plan!), ['/infrastructure/*.tmp', '/docs/\\[draft\\] proposal\\*.md']);
  });

  it('expands alternations, which .gitignore lacks, and leaves escaped braces alone', () => {
    assert.deepEqual(excludePatterns(planWith('infra', ['{a,b}/*.{tmp,swp}', 'odd\\{x\\}'])), [
      '/infra/a/*.tmp',
      '/infra/a/*.swp',
      '/infra/b/*.tmp',
      '/infra/b/*.swp',
      '/infra/odd\\{x\\}',
    ]);
  });
});
