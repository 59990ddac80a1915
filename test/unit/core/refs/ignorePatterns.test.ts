import { strict as assert } from 'node:assert';
import { extractSourceIgnore, ignorePatternRefs } from '../../../../src/core/refs/ignorePatterns';
import { LineIndex } from '../../../../src/core/text';
import type { Reference } from '../../../../src/core/types';
import { workspaceOf } from './textWorkspace';

const workspace = workspaceOf(
  'infrastructure/kubernetes/base/kustomization.yaml',
  'infrastructure/ci-cd/tekton/pipeline.yaml',
  'deploy/apps/web.yaml',
  'deploy/notes.md',
);

function summary(ref: Reference): object {
  const { start, end, text, target, base, baseRule, kind, confidence, glob, line } = ref;
  return { start, end, text, target, base, baseRule, kind, confidence, glob, line };
}

describe('core/refs/ignorePatterns', () => {
  it('reads the anchored patterns of a block, negated or not, from the repository root; not /*, unanchored or missing ones', () => {
    const text = 'spec:\n  ignore: |\n    /*\n    !/infrastructure/kubernetes/\n    !/infrastructure/ci-cd/tekton/*.yaml\n    # /deploy/\n    *.md\n    /gone/\n';
    const start = text.indexOf('/*');
    const refs = ignorePatternRefs(
      { file: 'flux/git-repository.yaml', text, start, end: text.length, base: '', baseRule: 'fixed', kind: 'flux.ignore' },
      workspace,
      new LineIndex(text),
    );
    assert.deepEqual(refs.map(summary), [
      {
        start: 31, end: 57, text: 'infrastructure/kubernetes/', target: 'infrastructure/kubernetes', base: '', baseRule: 'fixed',
        kind: 'flux.ignore', confidence: 'probable', glob: true, line: 4,
      },
      {
        start: 64, end: 98, text: 'infrastructure/ci-cd/tekton/*.yaml', target: 'infrastructure/ci-cd/tekton', base: '', baseRule: 'fixed',
        kind: 'flux.ignore', confidence: 'probable', glob: true, line: 5,
      },
    ]);
    for (const ref of refs) assert.equal(text.slice(ref.start, ref.end), ref.text);
  });

  it('resolves a .sourceignore from its own folder, with CRLF line endings', () => {
    const text = '# only the apps\r\n/*\r\n!/apps/\r\n!/notes.md\r\n';
    const { refs, review } = extractSourceIgnore({ path: 'deploy/.sourceignore', text, kind: 'other' }, workspace);
    assert.deepEqual(review, []);
    assert.deepEqual(refs.map((ref) => [ref.start, ref.end, ref.text, ref.target, ref.base, ref.baseRule, ref.kind, ref.line]), [
      [23, 28, 'apps/', 'deploy/apps', 'deploy', 'referrer', 'flux.sourceignore', 3],
      [32, 40, 'notes.md', 'deploy/notes.md', 'deploy', 'referrer', 'flux.sourceignore', 4],
    ]);
  });
});
