import { expect } from 'chai';
import type { PodObject } from '../../src/api/pods';
import { describePod } from '../../src/scenario/describe';

const pod = (spec: Record<string, unknown>, status: Record<string, unknown>, metadata = {}): PodObject =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', ...metadata },
    spec,
    status,
  }) as unknown as PodObject;

describe('describePod', () => {
  it('says when the pod does not exist', () => {
    expect(describePod(undefined, 'default/web')).to.equal('pod default/web does not exist');
  });

  it('says where a pod runs', () => {
    expect(describePod(pod({ nodeName: 'n1' }, { phase: 'Running' }), 'default/web')).to.equal(
      'pod default/web is Running, on node n1',
    );
  });

  it('says why a pending pod is not scheduled', () => {
    const p = pod(
      {},
      {
        phase: 'Pending',
        conditions: [
          { type: 'PodScheduled', status: 'False', message: '0/1 nodes are available: 1 Insufficient cpu.' },
        ],
      },
    );
    expect(describePod(p, 'default/web')).to.equal(
      'pod default/web is Pending, not scheduled (0/1 nodes are available: 1 Insufficient cpu.)',
    );
  });

  it('says when a pod is terminating', () => {
    const p = pod({ nodeName: 'n1' }, { phase: 'Running' }, { deletionTimestamp: '2025-01-01T00:00:30Z' });
    expect(describePod(p, 'default/web')).to.equal('pod default/web is Running, terminating, on node n1');
  });
});
