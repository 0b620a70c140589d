import { expect } from 'chai';
import { VirtualClock } from '../../src/sim/clock';
import { type Controller, ReconcileLoop } from '../../src/sim/loop';

// ReconcileLoop.enqueueWhenIdle: wakes that wait until nothing else is queued at the instant, coalesced.

class Recorder implements Controller {
  constructor(
    readonly name: string,
    private readonly log: string[],
    private readonly onReconcile: (key: string) => void = () => {},
  ) {}

  async reconcile(key: string): Promise<void> {
    this.log.push(`${this.name}:${key}`);
    this.onReconcile(key);
  }
}

describe('ReconcileLoop idle wakes', () => {
  let loop: ReconcileLoop;
  let log: string[];

  beforeEach(() => {
    loop = new ReconcileLoop(new VirtualClock(), () => 100);
    log = [];
  });

  it('runs an idle wake after all other queued work, including work that work queued', async () => {
    const worker = new Recorder('worker', log, (key) => {
      if (key === 'a') loop.enqueue(worker, 'b');
    });
    const ds = new Recorder('ds', log);
    loop.enqueueWhenIdle(ds, 'x');
    loop.enqueue(worker, 'a');
    await loop.runUntilQuiet();
    expect(log).to.deep.equal(['worker:a', 'worker:b', 'ds:x']);
  });

  it('takes repeated idle wakes of one key together', async () => {
    const ds = new Recorder('ds', log);
    const worker = new Recorder('worker', log, () => loop.enqueueWhenIdle(ds, 'x'));
    for (const key of ['a', 'b', 'c']) loop.enqueue(worker, key);
    await loop.runUntilQuiet();
    expect(log).to.deep.equal(['worker:a', 'worker:b', 'worker:c', 'ds:x']);
  });

  it('lets an ordinary wake take the place of an idle one', async () => {
    const ds = new Recorder('ds', log);
    const worker = new Recorder('worker', log);
    loop.enqueueWhenIdle(ds, 'x');
    loop.enqueue(worker, 'a');
    loop.enqueue(ds, 'x');
    await loop.runUntilQuiet();
    expect(log).to.deep.equal(['worker:a', 'ds:x']);
  });

  it('does not count idle wakes as pending work', () => {
    loop.enqueueWhenIdle(new Recorder('ds', log), 'x');
    expect(loop.pendingWork()).to.equal(0);
  });
});
