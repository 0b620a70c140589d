import { expect } from 'chai';
import { formatGoDuration, renderTimelineHtml, type TimelineEntry } from '../../src/report/timeline';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const NS = 1e-6; // one nanosecond in milliseconds
const US = 1e-3;

const start = new Date('2024-05-01T12:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

function entry(ms: number, reason: string, extra: Partial<TimelineEntry> = {}): TimelineEntry {
  return { time: at(ms), type: 'Normal', reason, object: 'pod/web', message: `${reason} happened`, ...extra };
}

/** The text of each table row, tags stripped, cells separated by |. */
function rowTexts(html: string): string[] {
  return [...html.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].slice(1).map((m) =>
    m[1]
      .split(/<\/td>/)
      .filter(Boolean)
      .map((cell) => cell.replace(/<[^>]+>/g, ''))
      .join('|'),
  );
}

describe('report/timeline', () => {
  describe('formatGoDuration', () => {
    // go:src/time/time_test.go durationTests, but for its int64 extremes, which no millisecond number holds
    const durationTests: Array<[string, number]> = [
      ['0s', 0],
      ['1ns', 1 * NS],
      ['1.1µs', 1100 * NS],
      ['2.2ms', 2200 * US],
      ['3.3s', 3300],
      ['4m5s', 4 * MINUTE + 5 * SECOND],
      ['4m5.001s', 4 * MINUTE + 5001],
      ['5h6m7.001s', 5 * HOUR + 6 * MINUTE + 7001],
      ['8m0.000000001s', 8 * MINUTE + 1 * NS],
    ];
    for (const [want, ms] of durationTests) {
      it(`${ms}ms is ${want}`, () => expect(formatGoDuration(ms)).to.equal(want));
      // TestDurationString also checks the negated duration
      if (ms > 0) it(`${-ms}ms is -${want}`, () => expect(formatGoDuration(-ms)).to.equal(`-${want}`));
    }

    const kubeletDelays: Array<[number, string]> = [
      [10 * SECOND, '10s'],
      [80 * SECOND, '1m20s'],
      [160 * SECOND, '2m40s'],
      [5 * MINUTE, '5m0s'],
      [HOUR, '1h0m0s'],
      [1500, '1.5s'],
      [500, '500ms'],
    ];
    for (const [ms, want] of kubeletDelays)
      it(`${ms}ms is ${want}`, () => expect(formatGoDuration(ms)).to.equal(want));
  });

  describe('renderTimelineHtml', () => {
    it('lists entries in time order with offsets from the start and clock times', () => {
      const html = renderTimelineHtml(
        [entry(90 * SECOND, 'Started'), entry(0, 'Scheduled'), entry(5 * MINUTE, 'Killing')],
        start,
      );
      expect(rowTexts(html)).to.deep.equal([
        '+0s|12:00:00||Normal|Scheduled|pod/web|Scheduled happened',
        '+1m30s|12:01:30|+1m30s|Normal|Started|pod/web|Started happened',
        '+5m0s|12:05:00|+3m30s|Normal|Killing|pod/web|Killing happened',
      ]);
      expect(html).to.contain('<time datetime="2024-05-01T12:01:30.000Z">12:01:30</time>');
    });

    it('groups entries of the same instant under one offset, keeping their given order', () => {
      const html = renderTimelineHtml(
        [
          entry(10 * SECOND, 'Pulled'),
          entry(0, 'Scheduled'),
          entry(10 * SECOND, 'Created'),
          entry(10 * SECOND, 'Started'),
        ],
        start,
      );
      expect(rowTexts(html)).to.deep.equal([
        '+0s|12:00:00||Normal|Scheduled|pod/web|Scheduled happened',
        '+10s|12:00:10|+10s|Normal|Pulled|pod/web|Pulled happened',
        'Normal|Created|pod/web|Created happened',
        'Normal|Started|pod/web|Started happened',
      ]);
      expect(html.match(/rowspan="3"/g)).to.have.length(3);
    });

    it('makes a back-off sequence visible as growing gaps', () => {
      const backOff = (ms: number) => entry(ms, 'BackOff', { type: 'Warning' });
      const html = renderTimelineHtml(
        [backOff(0), backOff(10 * SECOND), backOff(30 * SECOND), backOff(70 * SECOND)],
        start,
      );
      expect(rowTexts(html).map((row) => row.split('|').slice(0, 3).join(' '))).to.deep.equal([
        '+0s 12:00:00 ',
        '+10s 12:00:10 +10s',
        '+30s 12:00:30 +20s',
        '+1m10s 12:01:10 +40s',
      ]);
    });

    it('marks Warning rows and shows a repeat count', () => {
      const html = renderTimelineHtml(
        [
          entry(0, 'Scheduled'),
          entry(1000, 'BackOff', { type: 'Warning', count: 3 }),
          entry(2000, 'Pulled', { count: 1 }),
        ],
        start,
      );
      const rows = [...html.matchAll(/<tr([^>]*)>(.*?)<\/tr>/g)].slice(1);
      expect(rows.map((row) => row[1].includes('background:#fff4e5'))).to.deep.equal([false, true, false]);
      expect(rows[1][2])
        .to.contain('Warning')
        .and.to.contain('BackOff <span style="color:#57606a">(x3)</span>');
      expect(rows[2][2]).not.to.contain('(x1)');
    });

    it('shows milliseconds and sub-second offsets when the virtual clock has them', () => {
      const html = renderTimelineHtml([entry(1500, 'Started')], start);
      expect(rowTexts(html)[0]).to.equal('+1.5s|12:00:01.500||Normal|Started|pod/web|Started happened');
    });

    it('shows events before the start with a negative offset', () => {
      expect(rowTexts(renderTimelineHtml([entry(-5 * SECOND, 'Created')], start))[0]).to.match(
        /^-5s\|11:59:55\|/,
      );
    });

    it('escapes text and keeps styles inline', () => {
      const html = renderTimelineHtml(
        [entry(0, 'R<&>', { object: 'pod/"x"', message: "it's <b>bold</b> & more" })],
        start,
      );
      expect(html).to.contain('R&lt;&amp;&gt;');
      expect(html).to.contain('pod/&quot;x&quot;');
      expect(html).to.contain('it&#39;s &lt;b&gt;bold&lt;/b&gt; &amp; more');
      expect(html).not.to.match(/<(style|script|link)\b/);
    });

    it('says so when there are no events', () => {
      expect(renderTimelineHtml([], start)).to.contain('No events.');
    });

    it('does not reorder the caller’s array', () => {
      const entries = [entry(10, 'B'), entry(0, 'A')];
      renderTimelineHtml(entries, start);
      expect(entries.map((e) => e.reason)).to.deep.equal(['B', 'A']);
    });
  });
});
