import { expect } from 'chai';
import { displayObject, parseRef } from '../../src/scenario/references';

describe('parseRef', () => {
  it('puts a namespaced object without a namespace into default', () => {
    const ref = parseRef('pod', 'web');
    expect([ref.kind.kind, ref.namespace, ref.name]).to.deep.equal(['Pod', 'default', 'web']);
  });

  it('reads namespace/name for namespaced kinds', () => {
    const ref = parseRef('pods', 'prod/web');
    expect([ref.kind.kind, ref.namespace, ref.name]).to.deep.equal(['Pod', 'prod', 'web']);
  });

  it('takes kinds the way kubectl does: singular, plural or short name', () => {
    expect(parseRef('no', 'n1').kind.kind).to.equal('Node');
    expect(parseRef('ns', 'prod').kind.kind).to.equal('Namespace');
    expect(parseRef('PriorityClass', 'high').kind.kind).to.equal('PriorityClass');
  });

  it('gives cluster-scoped objects no namespace', () => {
    const ref = parseRef('node', 'n1');
    expect([ref.namespace, ref.name]).to.deep.equal([undefined, 'n1']);
  });

  it('refuses a kind it does not know', () => {
    expect(() => parseRef('cronjob', 'web')).to.throw('unknown kind "cronjob"');
  });
});

describe('displayObject', () => {
  it('names objects as the events table does', () => {
    expect(displayObject('Pod', 'default', 'web')).to.equal('pod/web');
    expect(displayObject('Pod', 'prod', 'web')).to.equal('pod/prod/web');
    expect(displayObject('Node', undefined, 'n1')).to.equal('node/n1');
  });
});
