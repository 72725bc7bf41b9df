// The column-mapping table: one row per CSV column with its detected role (editable), a sparkline,
// the confidence and the reason; media rows get a channel name field. Every edit recomputes the
// Mapping at once and calls onChange. Plain DOM, text set with textContent only.

import type { ColumnProfile, DateOrder, Inference, Mapping, Role } from '../../ingest/types';
import {
  initialRows,
  mappingSummary,
  mappingToRows,
  renameChannel,
  ROLE_LABELS,
  ROLE_ORDER,
  rowsToMapping,
  setLevels,
  setRole,
  sparklinePath,
  dummyChoices,
  type RowState,
} from './mapping-model';

const SVG_NS = 'http://www.w3.org/2000/svg';

export interface MappingTableController {
  getMapping(): Mapping;
  /** Problems with the mapping itself (e.g. no KPI chosen). */
  getProblems(): string[];
  setMapping(m: Mapping): void;
  destroy(): void;
}

export type MappingChange = (mapping: Mapping, problems: string[]) => void;

let uid = 0;

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function fmtNum(x: number): string {
  if (!Number.isFinite(x)) return '—';
  const a = Math.abs(x);
  if (a >= 1e9) return `${(x / 1e9).toPrecision(3)}B`;
  if (a >= 1e6) return `${(x / 1e6).toPrecision(3)}M`;
  if (a >= 1e3) return `${(x / 1e3).toPrecision(3)}k`;
  return a >= 1 || a === 0 ? String(Math.round(x * 100) / 100) : x.toPrecision(2);
}

function sparkline(doc: Document, p: ColumnProfile | undefined, column: string): Element {
  if (!p || p.spark.length < 2) {
    const span = el(doc, 'span', 'mmm-spark-text');
    if (p?.levels?.length) {
      span.textContent = `${p.distinct ?? p.levels.length} values: ${p.levels.slice(0, 3).map((l) => l.level).join(', ')}${(p.distinct ?? 0) > 3 ? ', …' : ''}`;
    } else span.textContent = '—';
    return span;
  }
  const w = 96, h = 24;
  const svg = doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('class', 'mmm-sparkline');
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('width', String(w));
  svg.setAttribute('height', String(h));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${column} over time: from ${fmtNum(p.min)} to ${fmtNum(p.max)}`);
  const title = doc.createElementNS(SVG_NS, 'title');
  title.textContent = `${column}: min ${fmtNum(p.min)}, max ${fmtNum(p.max)}${p.missing ? `, ${p.missing} empty` : ''}`;
  svg.appendChild(title);
  const path = doc.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', sparklinePath(p.spark, w, h, 2));
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'currentColor');
  path.setAttribute('stroke-width', '1.25');
  svg.appendChild(path);
  return svg;
}

function confidenceClass(c: number): string {
  return c >= 0.8 ? 'mmm-conf-high' : c >= 0.55 ? 'mmm-conf-mid' : 'mmm-conf-low';
}

/**
 * Render the mapping table into `container` (its content is replaced).
 * `onChange` is called after every edit with the new mapping and any mapping problems.
 */
export function renderMappingTable(container: HTMLElement, inference: Inference, onChange: MappingChange): MappingTableController {
  const doc = container.ownerDocument;
  const id = `mmm-map-${++uid}`;
  let rows: RowState[] = initialRows(inference);
  const profiles = inference.profiles ?? [];
  const profileOf = new Map(profiles.map((p) => [p.column, p]));
  // Day/month order of ambiguous dates: chosen by the inference, overridable here.
  let dateOrder: DateOrder | null = inference.mapping.dateOrder ?? null;
  const current = () => {
    const res = rowsToMapping(rows);
    if (dateOrder && res.mapping.time === inference.dateOrder?.column) res.mapping.dateOrder = dateOrder;
    return res;
  };

  container.replaceChildren();
  const wrap = el(doc, 'div', 'mmm-mapping');
  const summary = el(doc, 'p', 'mmm-mapping-summary');
  summary.id = `${id}-summary`;
  summary.setAttribute('role', 'status');
  summary.setAttribute('aria-live', 'polite');
  const problemsList = el(doc, 'ul', 'mmm-mapping-problems');
  problemsList.setAttribute('aria-live', 'polite');

  const table = el(doc, 'table', 'mmm-mapping-table');
  table.setAttribute('aria-describedby', summary.id);
  const caption = el(doc, 'caption', 'mmm-mapping-caption', 'Columns of your file and what the model will use them for. Change a role, or rename a channel; the summary updates at once.');
  table.appendChild(caption);
  const thead = el(doc, 'thead');
  const hr = el(doc, 'tr');
  for (const h of ['Column', 'Preview', 'Role', 'Channel', 'Confidence', 'Why']) {
    const th = el(doc, 'th', undefined, h);
    th.setAttribute('scope', 'col');
    hr.appendChild(th);
  }
  thead.appendChild(hr);
  table.appendChild(thead);
  const tbody = el(doc, 'tbody');
  table.appendChild(tbody);
  wrap.append(summary, problemsList);
  if (inference.dateOrder) wrap.appendChild(dateOrderControl(doc, id, inference.dateOrder, dateOrder!, (order) => {
    dateOrder = order;
    emit();
  }));
  wrap.appendChild(table);
  container.appendChild(wrap);

  const emit = () => {
    const { mapping, problems } = current();
    summary.textContent = mappingSummary(mapping);
    problemsList.replaceChildren(...problems.map((p) => el(doc, 'li', 'mmm-mapping-problem', p)));
    problemsList.hidden = problems.length === 0;
    onChange(mapping, problems);
  };

  // Rows whose state did not change keep their elements (setRole, setLevels and renameChannel return
  // the same RowState object for untouched rows), so an edit redraws one or two rows, not the table.
  let drawn = new Map<RowState, HTMLTableRowElement>();
  const renderRows = (focusColumn?: string, focusWhat?: 'role' | 'channel' | 'levels') => {
    const next = new Map<RowState, HTMLTableRowElement>();
    rows.forEach((r, i) => {
      const tr = drawn.get(r) ?? buildRow(r, i);
      next.set(r, tr);
      const old = tbody.children[i];
      if (old !== tr) {
        if (old) tbody.replaceChild(tr, old);
        else tbody.appendChild(tr);
      }
      if (focusColumn === r.column) {
        const target = focusWhat === 'channel' ? tr.querySelector('.mmm-mapping-channel input') : focusWhat === 'levels' ? tr.querySelector('.mmm-mapping-channel button') : tr.querySelector('select');
        (target as HTMLElement | null)?.focus();
      }
    });
    while (tbody.children.length > rows.length) tbody.lastChild!.remove();
    drawn = next;
  };

  const buildRow = (r: RowState, i: number): HTMLTableRowElement => {
    const tr = el(doc, 'tr', `mmm-mapping-row mmm-role-${r.role.replace(/_/g, '-')}`);
    tr.dataset.column = r.column;
    const th = el(doc, 'th', 'mmm-mapping-col');
    th.setAttribute('scope', 'row');
    const name = el(doc, 'span', 'mmm-col-name', r.column);
    th.appendChild(name);
    th.appendChild(el(doc, 'span', 'mmm-col-kind', ` ${r.kind}`));
    tr.appendChild(th);

    const tdSpark = el(doc, 'td', 'mmm-mapping-preview');
    tdSpark.appendChild(sparkline(doc, profileOf.get(r.column), r.column));
    tr.appendChild(tdSpark);

    const tdRole = el(doc, 'td', 'mmm-mapping-role');
    const sel = el(doc, 'select', 'mmm-role-select');
    sel.id = `${id}-role-${i}`;
    sel.setAttribute('aria-label', `Role of column ${r.column}`);
    for (const role of ROLE_ORDER) {
      const opt = el(doc, 'option', undefined, ROLE_LABELS[role]);
      opt.value = role;
      if (role === r.role) opt.selected = true;
      sel.appendChild(opt);
    }
    sel.value = r.role;
    sel.addEventListener('change', () => {
      rows = setRole(rows, r.column, sel.value as Role, profiles);
      renderRows(r.column, 'role');
      emit();
    });
    tdRole.appendChild(sel);
    tr.appendChild(tdRole);

    const tdCh = el(doc, 'td', 'mmm-mapping-channel');
    if (r.role === 'media_spend' || r.role === 'media_activity') {
      const input = el(doc, 'input', 'mmm-channel-input');
      input.type = 'text';
      input.value = r.channel ?? r.column;
      input.id = `${id}-ch-${i}`;
      input.setAttribute('aria-label', `Channel name for column ${r.column}`);
      input.spellcheck = false;
      const commit = () => {
        if (input.value.trim() && input.value.trim() !== (r.channel ?? r.column)) {
          rows = renameChannel(rows, r.column, input.value);
          renderRows(r.column, 'channel');
          emit();
        }
      };
      input.addEventListener('change', commit);
      input.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter') commit();
      });
      tdCh.appendChild(input);
      if (r.rf) tdCh.appendChild(el(doc, 'span', 'mmm-rf-tag', r.rf === 'reach' ? ' reach' : ' frequency'));
    } else if (r.kind === 'text' && r.role !== 'time' && r.role !== 'region' && dummyChoices(profileOf.get(r.column)).length) {
      tdCh.appendChild(dummyPicker(doc, `${id}-dummy-${i}`, r, dummyChoices(profileOf.get(r.column)), (levels) => {
        rows = setLevels(rows, r.column, levels);
        renderRows(r.column, 'levels');
        emit();
      }));
    }
    tr.appendChild(tdCh);

    const tdConf = el(doc, 'td', `mmm-mapping-conf ${confidenceClass(r.confidence)}`);
    const pct = Math.round(r.confidence * 100);
    const meter = el(doc, 'span', 'mmm-conf-bar');
    meter.setAttribute('role', 'meter');
    meter.setAttribute('aria-valuemin', '0');
    meter.setAttribute('aria-valuemax', '100');
    meter.setAttribute('aria-valuenow', String(pct));
    meter.setAttribute('aria-label', `Confidence for ${r.column}`);
    meter.style.setProperty('--mmm-conf', `${pct}%`);
    tdConf.append(meter, el(doc, 'span', 'mmm-conf-text', `${pct}%`));
    tr.appendChild(tdConf);

    const tdWhy = el(doc, 'td', 'mmm-mapping-reason', r.reason);
    tdWhy.title = r.reason;
    tr.appendChild(tdWhy);
    return tr;
  };

  renderRows();
  // Initial summary without calling onChange (nothing changed yet).
  const init = current();
  summary.textContent = mappingSummary(init.mapping);
  problemsList.replaceChildren(...init.problems.map((p) => el(doc, 'li', 'mmm-mapping-problem', p)));
  problemsList.hidden = init.problems.length === 0;

  return {
    getMapping: () => current().mapping,
    getProblems: () => current().problems,
    setMapping(m: Mapping) {
      rows = mappingToRows(m, rows);
      if (m.dateOrder) dateOrder = m.dateOrder;
      renderRows();
      emit();
    },
    destroy() {
      container.replaceChildren();
    },
  };
}

/** "Date order" select for dates whose day/month order the values leave open, with the inference's reason. */
function dateOrderControl(doc: Document, id: string, choice: NonNullable<Inference['dateOrder']>, value: DateOrder, onChange: (o: DateOrder) => void): HTMLElement {
  const box = el(doc, 'div', 'mmm-date-order');
  box.id = `${id}-date-order`;
  const label = el(doc, 'label', 'mmm-date-order-label', `Date order of "${choice.column}": `);
  const sel = el(doc, 'select', 'mmm-date-order-select');
  sel.id = `${id}-date-order-select`;
  label.htmlFor = sel.id;
  for (const [v, text] of [['mdy', 'month/day/year (US)'], ['dmy', 'day/month/year']] as const) {
    const opt = el(doc, 'option', undefined, text);
    opt.value = v;
    sel.appendChild(opt);
  }
  sel.value = value;
  const note = el(doc, 'span', 'mmm-date-order-note', ` No day or month above 12, so either order fits. ${choice.chosen === 'dmy' ? 'Day' : 'Month'} first was chosen: ${choice.why}.`);
  sel.addEventListener('change', () => onChange(sel.value as DateOrder));
  box.append(label, sel, note);
  return box;
}

/** Tick which values of a category column (events, holidays, promotions) become 0/1 controls. */
function dummyPicker(doc: Document, id: string, row: RowState, choices: string[], onChange: (levels: string[]) => void): HTMLElement {
  const on = new Set(row.role === 'control' ? row.levels ?? [] : []);
  const box = el(doc, 'fieldset', 'mmm-dummy-picker');
  box.id = id;
  box.appendChild(el(doc, 'legend', 'mmm-dummy-legend', on.size ? `${on.size} dummy control(s)` : 'No dummies (column ignored)'));
  const boxes: HTMLInputElement[] = [];
  for (const [k, level] of choices.entries()) {
    const cb = el(doc, 'input', 'mmm-dummy-check');
    cb.type = 'checkbox';
    cb.id = `${id}-${k}`;
    cb.value = level;
    cb.checked = on.has(level);
    cb.setAttribute('aria-label', `Dummy control for ${row.column} = ${level}`);
    cb.addEventListener('change', () => onChange(boxes.filter((b) => b.checked).map((b) => b.value)));
    const lab = el(doc, 'label', 'mmm-dummy-level', level);
    lab.htmlFor = cb.id;
    boxes.push(cb);
    box.append(cb, lab);
  }
  const toggle = el(doc, 'button', 'mmm-button mmm-dummy-toggle', on.size ? 'None' : 'All');
  toggle.type = 'button';
  toggle.addEventListener('click', () => onChange(on.size ? [] : choices));
  box.appendChild(toggle);
  return box;
}
