import { csvCell, usageCsvLines } from './usage-csv';
import { usageStats } from '../query/usage-stats';

describe(csvCell.name, () => {
  it('neutralises formulas and quotes what needs quoting', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    for (const start of ['+', '-', '@', '\t', '\r']) expect(csvCell(`${start}1`).includes(`'${start}1`)).toBe(true);
    expect(csvCell('gpt-4o, mini')).toBe('"gpt-4o, mini"');
    expect(csvCell('gpt-4o')).toBe('gpt-4o');
    expect(csvCell(0.25)).toBe('0.25');
    expect(csvCell(null)).toBe('');
  });
});

describe(usageCsvLines.name, () => {
  it('writes a header and one CRLF line per point', () => {
    const totals = usageStats({
      requests: 2,
      errors: 1,
      promptTokens: 10,
      completionTokens: 5,
      cachedTokens: 0,
      costUsd: 0.5,
      latencySumMs: 300,
      latencyBuckets: '',
      ttftSumMs: 0,
      ttftCount: 0,
      generationMs: 0,
      generationTokens: 0,
    });
    const lines = [...usageCsvLines([{ bucketStart: new Date('2026-01-01T00:00:00Z'), group: '=evil', ...totals }])];
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^bucket_start,group,requests,errors,/);
    expect(lines[1]).toBe("2026-01-01T00:00:00.000Z,'=evil,2,1,10,5,0,15,0.5,150,,,,\r\n");
  });
});
