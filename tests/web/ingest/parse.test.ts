import { describe, expect, it } from 'vitest';
import { decodeBytes, parseCsvBytes, parseCsvText, sniff } from '../../../web/src/ingest/index';
import { NumberParser, guessDecimal, MISSING, NUMBER, TEXT } from '../../../web/src/ingest/numbers';
import { parseBlobStreaming } from '../../../web/src/ingest/stream';
import { dayNumber, isoDate, isoWeekOfYear, isoWeekStart, parseDateWith, weekday } from '../../../web/src/ingest/dates';

describe('numbers', () => {
  const dot = new NumberParser('.');
  const comma = new NumberParser(',');
  const cases: [NumberParser, string, number | 'missing' | 'text'][] = [
    [dot, '12.5', 12.5], [dot, '-3', -3], [dot, '1e3', 1000], [dot, '.5', 0.5], [dot, ' 7 ', 7],
    [dot, '1,234.50', 1234.5], [dot, '$1,234', 1234], [dot, '12%', 0.12], [dot, '(100)', -100], [dot, '€ 5', 5],
    [dot, '', 'missing'], [dot, 'NA', 'missing'], [dot, 'NaN', 'missing'], [dot, 'null', 'missing'], [dot, '-', 'missing'], [dot, '#DIV/0!', 'missing'],
    [dot, 'abc', 'text'], [dot, '0x1F', 'text'], [dot, '0x10', 'text'], [dot, 'Infinity', 'text'], [dot, '1,5', 'text'],
    [comma, '1,5', 1.5], [comma, '1.234,5', 1234.5], [comma, '1 234,5', 1234.5], [comma, '-0,25', -0.25], [comma, '12', 12],
  ];
  for (const [p, s, want] of cases) {
    it(`${p.decimal} ${JSON.stringify(s)} → ${want}`, () => {
      const v = p.parse(s);
      if (want === 'missing') expect(p.kind).toBe(MISSING);
      else if (want === 'text') expect(p.kind).toBe(TEXT);
      else {
        expect(p.kind).toBe(NUMBER);
        expect(v).toBeCloseTo(want, 10);
      }
    });
  }
  it('guesses the decimal separator', () => {
    expect(guessDecimal(['1,5', '2,25', '3,75'], ';').decimal).toBe(',');
    expect(guessDecimal(['1.5', '2.25', '3.75'], ',').decimal).toBe('.');
    expect(guessDecimal(['1.234,50', '2.000,00'], ';')).toEqual({ decimal: ',', thousands: '.' });
  });
});

describe('dates', () => {
  it('day numbers, weekdays and ISO weeks', () => {
    const d = dayNumber(2024, 1, 29);
    expect(isoDate(d)).toBe('2024-01-29');
    expect(weekday(d)).toBe(0); // Monday
    expect(isoWeekOfYear(d)).toBe(5);
    expect(isoDate(isoWeekStart(2024, 5))).toBe('2024-01-29');
    expect(isoWeekOfYear(dayNumber(2021, 1, 3))).toBe(53);
    expect(Number.isNaN(dayNumber(2023, 2, 29))).toBe(true);
  });
  it('formats', () => {
    expect(isoDate(parseDateWith('2024-W05', 'iso-week'))).toBe('2024-01-29');
    expect(isoDate(parseDateWith('01/29/2024', 'mdy'))).toBe('2024-01-29');
    expect(isoDate(parseDateWith('29.01.2024', 'dmy'))).toBe('2024-01-29');
    expect(isoDate(parseDateWith('29-Jan-2024', 'month-name'))).toBe('2024-01-29');
    expect(isoDate(parseDateWith('Jan 29, 2024', 'month-name'))).toBe('2024-01-29');
    expect(isoDate(parseDateWith('2024-01-29T00:00:00Z', 'iso'))).toBe('2024-01-29');
  });
});

describe('parseCsvText', () => {
  it('column-major numbers and text with row numbers as in the file', () => {
    const t = parseCsvText('date,region,spend\n2024-01-01,A,1.5\n\n2024-01-08,B,x\n');
    expect(t.columns).toEqual(['date', 'region', 'spend']);
    expect(t.rowCount).toBe(2);
    expect(Array.from(t.sourceRows)).toEqual([2, 4]);
    expect(t.data[2].values[0]).toBe(1.5);
    expect(Number.isNaN(t.data[2].values[1])).toBe(true);
    expect(t.data[2].textSamples).toEqual([{ row: 4, text: 'x' }]);
    expect(t.data[1].dict).toEqual(['A', 'B']);
  });
  it('sniffs ; with decimal commas, BOM, CRLF, tabs', () => {
    const t = parseCsvText('\uFEFFdate;spend\r\n2024-01-01;1.234,5\r\n2024-01-08;2,5\r\n');
    expect(t.delimiter).toBe(';');
    expect(t.decimal).toBe(',');
    expect(t.hadBom).toBe(true);
    expect(t.newline).toBe('\r\n');
    expect(t.columns).toEqual(['date', 'spend']);
    expect(Array.from(t.data[1].values)).toEqual([1234.5, 2.5]);
    expect(parseCsvText('a\tb\n1\t2\n').delimiter).toBe('\t');
  });
  it('quoted fields with delimiters, quotes and newlines', () => {
    const t = parseCsvText('name,v\n"a, b",1\n"say ""hi""",2\n"two\nlines",3\n');
    expect(t.rowCount).toBe(3);
    expect(t.data[0].dict).toEqual(['a, b', 'say "hi"', 'two\nlines']);
    expect(Array.from(t.data[1].values)).toEqual([1, 2, 3]);
  });
  it('reports ragged rows by row number', () => {
    const t = parseCsvText('a,b,c\n1,2,3\n4,5\n6,7,8,9\n');
    expect(t.issues.find((i) => i.code === 'RAGGED_ROWS_SHORT')!.rows).toEqual([3]);
    expect(t.issues.find((i) => i.code === 'RAGGED_ROWS_LONG')!.rows).toEqual([4]);
  });
  it('detects a missing header and a preamble', () => {
    const t = parseCsvText('2024-01-01,1,2\n2024-01-08,3,4\n');
    expect(t.hasHeader).toBe(false);
    expect(t.columns).toEqual(['column_1', 'column_2', 'column_3']);
    expect(t.rowCount).toBe(2);
    const p = parseCsvText('My report\n\ndate,x,y\n2024-01-01,1,2\n');
    expect(p.skippedLines).toBeGreaterThan(0);
    expect(p.columns).toEqual(['date', 'x', 'y']);
    expect(Array.from(p.sourceRows)).toEqual([4]);
  });
  it('names blank and duplicate headers', () => {
    const t = parseCsvText(',x,x\n0,1,2\n');
    expect(t.columns).toEqual(['Unnamed: 0', 'x', 'x_2']);
  });
  it('handles empty input', () => {
    expect(parseCsvText('').rowCount).toBe(0);
    expect(parseCsvText('').columns).toEqual([]);
  });
  it('gives the same table in small chunks', () => {
    const text = 'date,"quoted, name",v\n' + Array.from({ length: 500 }, (_, i) => `2024-01-01,"x\n${i}",${i}.5`).join('\n');
    const a = parseCsvText(text);
    const b = parseCsvText(text, { chunkChars: 97 });
    expect(b.rowCount).toBe(500);
    expect(Array.from(b.data[2].values)).toEqual(Array.from(a.data[2].values));
    expect(b.data[1].dict).toEqual(a.data[1].dict);
  });
});

describe('decoding', () => {
  it('UTF-8, UTF-8 BOM kept for the parser, Windows-1252 fallback', () => {
    expect(decodeBytes(new TextEncoder().encode('é')).encoding).toBe('utf-8');
    const latin = new Uint8Array([0x6e, 0x61, 0x6d, 0x65, 0x0a, 0x5a, 0xfc, 0x72, 0x69, 0x63, 0x68, 0x0a]); // name\nZürich\n
    const d = decodeBytes(latin);
    expect(d.encoding).toBe('windows-1252');
    expect(d.text).toBe('name\nZürich\n');
    expect(d.issues[0].code).toBe('NOT_UTF8');
    const t = parseCsvBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('a,b\n1,2\n')]));
    expect(t.hadBom).toBe(true);
    expect(t.columns).toEqual(['a', 'b']);
  });
  it('streaming keeps multi-byte characters cut at slice boundaries', async () => {
    const text = 'region,v\n' + Array.from({ length: 300 }, (_, i) => `Zürich-Genève-Köln,${i}`).join('\n') + '\n';
    const t = await parseBlobStreaming(new Blob([text]), { sliceBytes: 7 });
    expect(t.rowCount).toBe(300);
    expect(t.data[0].dict).toEqual(['Zürich-Genève-Köln']);
    expect(t.encoding).toBe('utf-8');
  });
  it('streaming reports progress and can be cancelled', async () => {
    const text = 'a,b\n' + '1,2\n'.repeat(5000);
    const seen: number[] = [];
    await parseBlobStreaming(new Blob([text]), { sliceBytes: 1000, onProgress: (p) => seen.push(p.loaded) });
    expect(seen[seen.length - 1]).toBe(text.length);
    await expect(parseBlobStreaming(new Blob([text]), { sliceBytes: 1000, signal: { aborted: true } })).rejects.toMatchObject({ code: 'CANCELLED' });
  });
  it('sniff picks the delimiter that splits consistently', () => {
    expect(sniff('a;b;c\n1;2,5;3\n4;5,5;6\n', true).delimiter).toBe(';');
    expect(sniff('a|b\n1|2\n', true).delimiter).toBe('|');
  });
});
