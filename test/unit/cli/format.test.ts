import { strict as assert } from 'node:assert';
import { formatReview } from '../../../src/cli/format';

describe('cli/format', () => {
  it('prints a review item on one line, cutting a multi-line text (a tree diagram) after its first line', () => {
    const diagram = 'infrastructure/\n├── ci-cd/\n└── tls/';
    assert.equal(
      formatReview({ file: 'docs/a.md', start: 10, end: 10 + diagram.length, line: 6, column: 1, text: diagram, kind: 'markdown.tree', reason: 'tree diagram names moved paths; update by hand' }),
      'docs/a.md:6:1  infrastructure/ …  tree diagram names moved paths; update by hand',
    );
    assert.equal(
      formatReview({ file: 'a.sh', start: 0, end: 5, line: 2, column: 3, text: '$X/y', kind: 'shell.path', reason: 'built from a variable' }),
      'a.sh:2:3  $X/y  built from a variable',
    );
  });
});
