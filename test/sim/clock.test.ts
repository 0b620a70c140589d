import { expect } from 'chai';
import { EPOCH, parseDuration, VirtualClock } from '../../src/sim/clock';

describe('VirtualClock', () => {
  it('starts at 2025-01-01T00:00:00Z', () => {
    const clock = new VirtualClock();
    expect(EPOCH).to.equal(Date.UTC(2025, 0, 1));
    expect(clock.now()).to.equal(EPOCH);
    expect(clock.elapsed()).to.equal(0);
    expect(clock.date().toISOString()).to.equal('2025-01-01T00:00:00.000Z');
  });

  it('formats metav1.Time with whole seconds (truncated) and MicroTime with six digits', () => {
    const clock = new VirtualClock();
    clock.advanceTo(EPOCH + 61_999);
    expect(clock.timestamp()).to.equal('2025-01-01T00:01:01Z');
    expect(clock.microTimestamp()).to.equal('2025-01-01T00:01:01.999000Z');
    expect(clock.timestamp(EPOCH)).to.equal('2025-01-01T00:00:00Z');
    expect(clock.microTimestamp(EPOCH + 5)).to.equal('2025-01-01T00:00:00.005000Z');
  });

  it('moves forward only', () => {
    const clock = new VirtualClock();
    clock.advanceTo(EPOCH + 1000);
    clock.advanceTo(EPOCH + 1000);
    expect(clock.elapsed()).to.equal(1000);
    expect(() => clock.advanceTo(EPOCH)).to.throw(`virtual time cannot go back (${EPOCH} < ${EPOCH + 1000})`);
  });
});

describe('parseDuration', () => {
  const valid: [string, number][] = [
    ['0', 0],
    ['0s', 0],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['1h0m0s', 3_600_000],
    ['1.5s', 1500],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['1s500ms', 1500],
    ['0.0005s', 1],
    [' 5m ', 300_000],
  ];
  for (const [text, ms] of valid) {
    it(`reads "${text}" as ${ms} ms`, () => {
      expect(parseDuration(text)).to.equal(ms);
    });
  }

  const invalid = [
    '',
    ' ',
    '5',
    'm',
    's5',
    'abc',
    '5x',
    '5 m',
    '1h 30m',
    '5m3',
    '-5s',
    '1.5.5s',
    '100us',
    '5mm',
    '5M',
  ];
  for (const text of invalid) {
    it(`refuses "${text}"`, () => {
      expect(() => parseDuration(text)).to.throw(
        `invalid duration "${text}": use a number with a unit, e.g. 30s, 5m, 1h30m`,
      );
    });
  }
});
