import { expect } from 'chai';
import { EPOCH, VirtualClock } from '../../src/sim/clock';
import { type Controller, NotSettledError, ReconcileLoop } from '../../src/sim/loop';

/** A controller that records `name:key@ms-since-epoch` for every reconcile and may act on it. */
class Recorder implements Controller {
  constructor(
    readonly name: string,
    private readonly log: string[],
    private readonly clock: VirtualClock,
    private readonly onReconcile: (key: string) => void = () => {},
  ) {}

  async reconcile(key: string): Promise<void> {
    this.log.push(`${this.name}:${key}@${this.clock.elapsed()}`);
    this.onReconcile(key);
  }
}

describe('ReconcileLoop', () => {
  let clock: VirtualClock;
  let loop: ReconcileLoop;
  let log: string[];
  const recorder = (name: string, onReconcile?: (key: string) => void) =>
    new Recorder(name, log, clock, onReconcile);

  beforeEach(() => {
    clock = new VirtualClock();
    loop = new ReconcileLoop(clock, () => 100);
    log = [];
  });

  describe('work queue', () => {
    it('keeps one entry per controller and key, as client-go workqueue de-duplicates', async () => {
      const pods = recorder('pods');
      const nodes = recorder('nodes');
      loop.enqueue(pods, 'default/web');
      loop.enqueue(pods, 'default/web');
      loop.enqueue(nodes, 'default/web');
      expect(loop.pendingWork()).to.equal(2);
      await loop.runUntilQuiet();
      expect(log).to.deep.equal(['pods:default/web@0', 'nodes:default/web@0']);
      expect(loop.pendingWork()).to.equal(0);
    });

    it('works in FIFO order; a key re-added while being processed goes to the back', async () => {
      let requeued = false;
      const c = recorder('c', (key) => {
        if (key === 'a' && !requeued) {
          requeued = true;
          loop.enqueue(c, 'a');
        }
      });
      for (const key of ['a', 'b', 'c']) loop.enqueue(c, key);
      await loop.runUntilQuiet();
      expect(log).to.deep.equal(['c:a@0', 'c:b@0', 'c:c@0', 'c:a@0']);
    });

    it('stops with NotSettledError naming the object and controller that keep changing', async () => {
      loop = new ReconcileLoop(clock, () => 20);
      const settled = recorder('settled');
      const spinner = recorder('spinner', (key) => loop.enqueue(spinner, key));
      loop.enqueue(settled, 'node/n1');
      loop.enqueue(spinner, 'pod/default/web');
      let error: unknown;
      try {
        await loop.runUntilQuiet();
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(NotSettledError);
      expect((error as Error).message).to.equal(
        'the cluster did not settle at 2025-01-01T00:00:00Z: 21 reconciles without reaching a steady state; ' +
          'still changing: pod/default/web (spinner) ×19, node/n1 (settled) ×1',
      );
    });
  });

  describe('timers', () => {
    it('fire in time order, and those due at the same instant in the order they were set', async () => {
      const c = recorder('c');
      loop.schedule(c, 'late', EPOCH + 3000);
      loop.schedule(c, 'first', EPOCH + 1000);
      loop.schedule(c, 'second', EPOCH + 1000);
      loop.schedule(c, 'third', EPOCH + 1000);
      await loop.advance(5000);
      expect(log).to.deep.equal(['c:first@1000', 'c:second@1000', 'c:third@1000', 'c:late@3000']);
    });

    it('are set once per controller, key and time', async () => {
      const c = recorder('c');
      loop.schedule(c, 'k', EPOCH + 1000);
      loop.schedule(c, 'k', EPOCH + 1000);
      loop.schedule(c, 'k', EPOCH + 2000);
      await loop.advance(2000);
      expect(log).to.deep.equal(['c:k@1000', 'c:k@2000']);
    });

    it('fire at once when set for a time already past', async () => {
      clock.advanceTo(EPOCH + 5000);
      loop.schedule(recorder('c'), 'k', EPOCH + 1000);
      expect(loop.nextTimer()).to.equal(EPOCH + 5000);
      await loop.runUntilQuiet();
      expect(log).to.deep.equal(['c:k@5000']);
    });

    it('wait for time to pass: runUntilQuiet fires only the timers due now', async () => {
      loop.schedule(recorder('c'), 'k', EPOCH + 1000);
      await loop.runUntilQuiet();
      expect(log).to.deep.equal([]);
      expect(loop.nextTimer()).to.equal(EPOCH + 1000);
    });
  });

  describe('advance', () => {
    it('reconciles after each timer at its time, follows timers set meanwhile, and ends at the target', async () => {
      // A pod backing off 1s, 2s, 4s... as a controller would schedule it.
      let delay = 1000;
      const backoff = recorder('backoff', (key) => {
        loop.schedule(backoff, key, clock.now() + delay);
        delay *= 2;
      });
      const other = recorder('other');
      loop.enqueue(backoff, 'web');
      loop.schedule(other, 'n1', EPOCH + 2500);
      await loop.advance(10_000);
      expect(log).to.deep.equal([
        'backoff:web@0',
        'backoff:web@1000',
        'other:n1@2500',
        'backoff:web@3000',
        'backoff:web@7000',
      ]);
      expect(clock.elapsed()).to.equal(10_000);
      expect(loop.nextTimer()).to.equal(EPOCH + 15_000);
    });

    it('drains the queue after each timer before the next fires', async () => {
      const follower = recorder('follower');
      const leader = recorder('leader', (key) => loop.enqueue(follower, key));
      loop.schedule(leader, 'a', EPOCH + 1000);
      loop.schedule(leader, 'b', EPOCH + 2000);
      await loop.advance(2000);
      expect(log).to.deep.equal(['leader:a@1000', 'follower:a@1000', 'leader:b@2000', 'follower:b@2000']);
    });

    it('fires a timer due exactly at the target, and none after it', async () => {
      const c = recorder('c');
      loop.schedule(c, 'at', EPOCH + 1000);
      loop.schedule(c, 'after', EPOCH + 1001);
      await loop.advance(1000);
      expect(log).to.deep.equal(['c:at@1000']);
      expect(loop.nextTimer()).to.equal(EPOCH + 1001);
    });

    it('moves the clock even when nothing is scheduled', async () => {
      await loop.advance(60_000);
      expect(clock.timestamp()).to.equal('2025-01-01T00:01:00Z');
    });
  });
});
