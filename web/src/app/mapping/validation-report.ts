// The data-check panel: panel shape, date range, then blocking errors, warnings and notes —
// each naming the column and rows, what the app will do and what the user must do.

import type { Issue, ValidationReport } from '../../ingest/types';

function el<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = doc.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

let uid = 0;

export function issueWhere(i: Issue): string {
  const parts: string[] = [];
  if (i.column) parts.push(`column ${i.column}`);
  if (i.rows?.length) parts.push(`${i.rows.length === 1 ? 'row' : 'rows'} ${i.rows.slice(0, 10).join(', ')}${i.rows.length > 10 ? ', …' : ''}`);
  return parts.join(' · ');
}

function issueList(doc: Document, issues: Issue[], severity: Issue['severity']): HTMLUListElement {
  const ul = el(doc, 'ul', `mmm-issue-list mmm-issue-list-${severity}`);
  for (const i of issues) {
    const li = el(doc, 'li', `mmm-issue mmm-issue-${severity}`);
    li.dataset.code = i.code;
    const label = severity === 'error' ? 'Error' : severity === 'warning' ? 'Warning' : 'Note';
    li.appendChild(el(doc, 'span', 'mmm-issue-label', `${label}: `));
    li.appendChild(el(doc, 'span', 'mmm-issue-message', i.message));
    const where = issueWhere(i);
    if (where) li.appendChild(el(doc, 'span', 'mmm-issue-where', ` (${where})`));
    li.appendChild(el(doc, 'code', 'mmm-issue-code', ` ${i.code}`));
    ul.appendChild(li);
  }
  return ul;
}

/** Render `report` into `container` (content replaced). */
export function renderValidationReport(container: HTMLElement, report: ValidationReport): void {
  const doc = container.ownerDocument;
  const id = `mmm-val-${++uid}`;
  container.replaceChildren();
  const section = el(doc, 'section', `mmm-validation ${report.canTrain ? 'mmm-validation-ok' : 'mmm-validation-blocked'}`);
  section.setAttribute('aria-labelledby', `${id}-h`);
  const h = el(doc, 'h3', 'mmm-validation-title', 'Data check');
  h.id = `${id}-h`;
  section.appendChild(h);

  const status = el(doc, 'p', 'mmm-validation-status');
  status.setAttribute('role', report.canTrain ? 'status' : 'alert');
  status.textContent = report.canTrain
    ? `Ready to train${report.warnings.length ? ` — ${report.warnings.length} warning(s) to look at` : ''}.`
    : `Not ready: ${report.errors.length} blocking error(s) must be fixed before training.`;
  section.appendChild(status);

  const dl = el(doc, 'dl', 'mmm-validation-shape');
  const add = (k: string, v: string) => {
    dl.append(el(doc, 'dt', undefined, k), el(doc, 'dd', undefined, v));
  };
  const s = report.shape;
  add('Panel', `${s.regions} region${s.regions === 1 ? '' : 's'} × ${s.weeks} week${s.weeks === 1 ? '' : 's'} × ${s.channels} channel${s.channels === 1 ? '' : 's'} × ${s.controls} control${s.controls === 1 ? '' : 's'}`);
  add('Dates', report.dateRange ? `${report.dateRange.start} … ${report.dateRange.end}` : '—');
  add('Frequency', report.frequency === 'daily' ? 'daily (summed into weeks)' : report.frequency);
  section.appendChild(dl);

  const group = (title: string, issues: Issue[], sev: Issue['severity']) => {
    if (issues.length === 0) return;
    const sub = el(doc, 'div', `mmm-validation-group mmm-validation-${sev}`);
    const hh = el(doc, 'h4', undefined, `${title} (${issues.length})`);
    hh.id = `${id}-${sev}`;
    sub.setAttribute('role', 'group');
    sub.setAttribute('aria-labelledby', hh.id);
    sub.append(hh, issueList(doc, issues, sev));
    section.appendChild(sub);
  };
  group('Blocking errors', report.errors, 'error');
  group('Warnings', report.warnings, 'warning');
  group('What the app will do', report.infos, 'info');
  if (report.errors.length + report.warnings.length + report.infos.length === 0) {
    section.appendChild(el(doc, 'p', 'mmm-validation-clean', 'No problems found.'));
  }
  container.appendChild(section);
}
