// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { inferSchema, parseCsvText, validate, type Mapping } from '../../../web/src/ingest/index';
import { renderMappingActions, renderMappingTable, renderValidationReport } from '../../../web/src/app/mapping/index';

function inference() {
  const lines = ['date,tv_spend,tv_impressions,=SUM(A1),<img src=x onerror=alert(1)>,sales'];
  for (let t = 0; t < 30; t++) lines.push(`${new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10)},${t},${t * 9},${t % 3},${t},${100 + t}`);
  const table = parseCsvText(lines.join('\n'));
  return { table, inf: inferSchema(table) };
}

describe('renderMappingTable', () => {
  let container: HTMLElement;
  beforeEach(() => {
    document.body.innerHTML = '';
    container = document.createElement('div');
    document.body.appendChild(container);
  });

  it('renders one labelled row per column with sparkline, confidence and reason', () => {
    const { inf } = inference();
    renderMappingTable(container, inf, () => {});
    const rows = container.querySelectorAll('tbody tr');
    expect(rows.length).toBe(6);
    for (const sel of container.querySelectorAll('select')) expect(sel.getAttribute('aria-label')).toMatch(/^Role of column /);
    expect(container.querySelectorAll('svg.mmm-sparkline').length).toBeGreaterThanOrEqual(4);
    expect(container.querySelector('svg.mmm-sparkline')!.getAttribute('role')).toBe('img');
    const reason = container.querySelector('.mmm-mapping-reason')!;
    expect(reason.textContent!.length).toBeGreaterThan(5);
    expect(reason.getAttribute('title')).toBe(reason.textContent);
    expect(container.querySelector('[role="meter"]')!.getAttribute('aria-valuenow')).toMatch(/^\d+$/);
    expect(container.querySelector('caption')).not.toBeNull();
    expect(container.querySelectorAll('th[scope="col"]').length).toBe(6);
    // Column names are text, never markup.
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('a role change updates the mapping immediately', () => {
    const { inf } = inference();
    const seen: Mapping[] = [];
    const ctl = renderMappingTable(container, inf, (m) => seen.push(m));
    const row = [...container.querySelectorAll('tbody tr')].find((r) => (r as HTMLElement).dataset.column === 'tv_impressions')!;
    const sel = row.querySelector('select')!;
    sel.value = 'ignore';
    sel.dispatchEvent(new Event('change'));
    expect(seen).toHaveLength(1);
    expect(seen[0].channels[0]).toEqual({ name: 'tv', spend: 'tv_spend', activity: null });
    expect(ctl.getMapping().ignored).toContain('tv_impressions');
    expect(container.querySelector('.mmm-mapping-summary')!.textContent).toMatch(/KPI: sales/);
    // Focus stays on the edited control (keyboard users keep their place).
    const again = [...container.querySelectorAll('tbody tr')].find((r) => (r as HTMLElement).dataset.column === 'tv_impressions')!;
    expect(document.activeElement).toBe(again.querySelector('select'));
  });

  it('renames a channel from its text field', () => {
    const { inf } = inference();
    let last: Mapping | null = null;
    renderMappingTable(container, inf, (m) => (last = m));
    const input = container.querySelector('input.mmm-channel-input') as HTMLInputElement;
    expect(input.getAttribute('aria-label')).toMatch(/^Channel name for column /);
    input.value = 'Linear TV';
    input.dispatchEvent(new Event('change'));
    expect(last!.channels[0].name).toBe('Linear TV');
    expect(last!.channels[0].activity).toBe('tv_impressions');
  });

  it('setMapping re-applies a saved mapping', () => {
    const { inf } = inference();
    const ctl = renderMappingTable(container, inf, () => {});
    ctl.setMapping({ ...inf.mapping, channels: [{ name: 'TV', spend: 'tv_spend', activity: null }] });
    expect(ctl.getMapping().channels).toEqual([{ name: 'TV', spend: 'tv_spend', activity: null }]);
    const sel = [...container.querySelectorAll('tbody tr')].find((r) => (r as HTMLElement).dataset.column === 'tv_impressions')!.querySelector('select')!;
    expect(sel.value).toBe('ignore');
  });
});

describe('renderValidationReport', () => {
  it('shows shape, dates and blocking errors with column and rows', () => {
    const lines = ['date,tv_spend,sales'];
    for (let t = 0; t < 50; t++) lines.push(`${new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10)},${t === 4 ? -3 : t},${t}`);
    const table = parseCsvText(lines.join('\n'));
    const report = validate(table, inferSchema(table).mapping);
    const c = document.createElement('div');
    renderValidationReport(c, report);
    expect(c.querySelector('[role="alert"]')!.textContent).toMatch(/Not ready: 1 blocking error/);
    expect(c.querySelector('dl')!.textContent).toMatch(/1 region × 50 weeks × 1 channel × 0 controls/);
    expect(c.querySelector('dl')!.textContent).toMatch(/2023-01-02 … 2023-12-11/);
    const err = c.querySelector('.mmm-issue-error')!;
    expect(err.getAttribute('data-code')).toBe('NEGATIVE_SPEND');
    expect(err.textContent).toMatch(/column tv_spend · row 6/);
    expect(c.querySelector('section')!.getAttribute('aria-labelledby')).toBeTruthy();
  });
  it('says ready when clean', () => {
    const lines = ['date,tv_spend,sales'];
    for (let t = 0; t < 80; t++) lines.push(`${new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10)},${t},${t % 7}`);
    const table = parseCsvText(lines.join('\n'));
    const c = document.createElement('div');
    renderValidationReport(c, validate(table, inferSchema(table).mapping));
    expect(c.querySelector('[role="status"]')!.textContent).toMatch(/Ready to train/);
  });
});

describe('renderMappingActions', () => {
  it('remembers a mapping in the store and offers it for the same header', () => {
    const mem = new Map<string, string>();
    const store = { getItem: (k: string) => mem.get(k) ?? null, setItem: (k: string, v: string) => void mem.set(k, v) };
    const { table, inf } = inference();
    const c1 = document.createElement('div');
    renderMappingActions(c1, { columns: table.columns, getMapping: () => inf.mapping, onApply: () => {}, store });
    const remember = [...c1.querySelectorAll('button')].find((b) => /Remember/.test(b.textContent!))!;
    remember.click();
    expect(mem.size).toBe(1);
    let applied: Mapping | null = null;
    const c2 = document.createElement('div');
    renderMappingActions(c2, { columns: table.columns, getMapping: () => inf.mapping, onApply: (m) => (applied = m), store });
    const apply = [...c2.querySelectorAll('button')].find((b) => /Apply saved/.test(b.textContent!))!;
    apply.click();
    expect(applied!.kpi).toBe('sales');
    expect(c2.querySelector('[role="toolbar"]')!.getAttribute('aria-label')).toBeTruthy();
  });
});

describe('event dummies and date order in the mapping table', () => {
  function eventsFile(dates: (t: number) => string, n = 40) {
    const lines = ['date,tv_spend,events,sales'];
    for (let t = 0; t < n; t++) lines.push(`${dates(t)},${t},${t % 9 === 0 ? 'event1' : t % 13 === 5 ? 'event2' : 'na'},${100 + t}`);
    return inferSchema(parseCsvText(lines.join('\n')));
  }
  const iso = (t: number) => new Date(Date.UTC(2023, 0, 2 + 7 * t)).toISOString().slice(0, 10);

  it('shows one ticked box per event value; unticking drops that dummy, unticking all ignores the column', () => {
    const c = document.createElement('div');
    let last: Mapping | null = null;
    renderMappingTable(c, eventsFile(iso), (m) => (last = m));
    const boxes = () => [...c.querySelectorAll<HTMLInputElement>('tr[data-column="events"] input.mmm-dummy-check')];
    expect(boxes().map((b) => [b.value, b.checked])).toEqual([['event1', true], ['event2', true]]);
    expect(c.querySelector('tr[data-column="events"] legend')!.textContent).toBe('2 dummy control(s)');
    boxes()[1].checked = false;
    boxes()[1].dispatchEvent(new Event('change'));
    expect(last!.dummies).toEqual({ events: ['event1'] });
    expect(last!.controls).toEqual(['events=event1']);
    boxes()[0].checked = false;
    boxes()[0].dispatchEvent(new Event('change'));
    expect(last!.controls).toEqual([]);
    expect(last!.ignored).toContain('events');
    // Switch back on: every value again.
    c.querySelector<HTMLButtonElement>('tr[data-column="events"] .mmm-dummy-toggle')!.click();
    expect(last!.dummies).toEqual({ events: ['event1', 'event2'] });
  });

  it('offers a date-order override only for ambiguous dates and puts the choice in the mapping', () => {
    const c = document.createElement('div');
    let last: Mapping | null = null;
    // 01/01/2023 … 01/12/2023: either order fits.
    renderMappingTable(c, eventsFile((t) => `01/${String(t + 1).padStart(2, '0')}/2023`, 12), (m) => (last = m));
    const sel = c.querySelector<HTMLSelectElement>('.mmm-date-order select')!;
    expect(sel.value).toBe('mdy');
    expect(c.querySelector('.mmm-date-order')!.textContent).toMatch(/Month first was chosen: .*decimals with a point/);
    sel.value = 'dmy';
    sel.dispatchEvent(new Event('change'));
    expect(last!.dateOrder).toBe('dmy');
    const c2 = document.createElement('div');
    renderMappingTable(c2, eventsFile(iso), () => {});
    expect(c2.querySelector('.mmm-date-order')).toBeNull();
  });
});

describe('redrawing after an edit', () => {
  it('keeps the elements of rows that did not change (a 2,000-region file has dozens of columns)', () => {
    const c = document.createElement('div');
    document.body.appendChild(c);
    const { inf } = inference();
    renderMappingTable(c, inf, () => {});
    const before = [...c.querySelectorAll('tbody tr')];
    const sel = c.querySelector<HTMLSelectElement>('tr[data-column="tv_impressions"] select')!;
    sel.value = 'control';
    sel.dispatchEvent(new Event('change'));
    const after = [...c.querySelectorAll('tbody tr')];
    expect(after.length).toBe(before.length);
    const changed = after.map((tr, i) => tr !== before[i]);
    expect(changed.filter(Boolean).length).toBe(1);
    expect(after[changed.indexOf(true)].getAttribute('data-column')).toBe('tv_impressions');
    expect(document.activeElement).toBe(c.querySelector('tr[data-column="tv_impressions"] select'));
  });
});
