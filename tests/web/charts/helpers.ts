// Shared checks for chart specs: compile with vega-lite (collecting warnings), parse with vega in
// AST mode and run a headless View with the expression interpreter (the CSP-safe path the app uses).
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';

export interface Compiled {
  vg: vega.Spec;
  warnings: string[];
}

/** A vega-util style logger that records warnings and errors instead of printing them. */
function recorder(sink: string[]) {
  let lvl = 2;
  const logger = {
    level(l?: number) {
      if (l === undefined) return lvl;
      lvl = l;
      return logger;
    },
    warn(...args: unknown[]) {
      sink.push(args.map(String).join(' '));
      return logger;
    },
    error(...args: unknown[]) {
      sink.push('ERROR ' + args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

export function compileSpec(spec: TopLevelSpec): Compiled {
  const warnings: string[] = [];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const out = compile(spec, { logger: recorder(warnings) as any });
  return { vg: out.spec, warnings };
}

export async function runView(vg: vega.Spec, warnings: string[] = [], width = 720): Promise<vega.View> {
  const runtime = vega.parse(vg, undefined, { ast: true });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const view = new vega.View(runtime, { renderer: 'none', expr: expressionInterpreter as any, logger: recorder(warnings) as any } as any);
  await view.runAsync();
  // Width 'container' has no container headless: give the view a laptop-ish width.
  if (view.width() < 100) {
    view.width(width);
    await view.runAsync();
  }
  return view;
}

interface SceneItem {
  marktype?: string;
  role?: string;
  name?: string;
  items?: SceneItem[];
}

/** Counts the items of every data-driven mark in the scenegraph (axes, legends, titles excluded). */
export function markItemCount(view: vega.View): { marks: number; items: number; byType: Record<string, number> } {
  let marks = 0;
  let items = 0;
  const byType: Record<string, number> = {};
  const skip = /^(axis|legend|title)/;
  const walk = (node: SceneItem) => {
    if (node.marktype && node.role && node.role === 'mark') {
      if (node.marktype !== 'group') {
        marks++;
        const n = node.items?.length ?? 0;
        items += n;
        byType[node.marktype] = (byType[node.marktype] ?? 0) + n;
      }
    }
    if (node.marktype && node.role && skip.test(node.role)) return;
    for (const it of node.items ?? []) walk(it);
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  walk((view as any).scenegraph().root as SceneItem);
  return { marks, items, byType };
}

const TRANSFORM_OUTPUTS = ['as', 'groupby'];

/**
 * Fields a spec reads through encodings, and whether each exists in its data: rows of the named
 * datasets or names created by transforms. Returns the missing ones.
 */
export function missingFields(spec: Record<string, unknown>): string[] {
  const datasets = (spec.datasets ?? {}) as Record<string, Record<string, unknown>[]>;
  const known = new Set<string>();
  for (const rows of Object.values(datasets)) for (const row of rows.slice(0, 50)) for (const k of Object.keys(row)) known.add(k);
  const used = new Set<string>();
  const visit = (node: unknown, inEncoding: boolean) => {
    if (Array.isArray(node)) {
      for (const n of node) visit(n, inEncoding);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.transform))
      for (const t of o.transform as Record<string, unknown>[]) {
        for (const k of TRANSFORM_OUTPUTS) {
          const v = t[k];
          if (typeof v === 'string') known.add(v);
          if (Array.isArray(v)) for (const x of v) if (typeof x === 'string') known.add(x);
        }
        for (const k of ['aggregate', 'window', 'joinaggregate'])
          if (Array.isArray(t[k])) for (const a of t[k] as Record<string, unknown>[]) if (typeof a.as === 'string') known.add(a.as);
      }
    for (const [k, v] of Object.entries(o)) {
      if (k === 'datasets' || k === 'data' || k === 'usermeta' || k === 'config') continue;
      if (k === 'encoding') visit(v, true);
      else if (inEncoding && k === 'field' && typeof v === 'string') used.add(v);
      else if (k === 'sort' && v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>).field === 'string')
        used.add((v as Record<string, unknown>).field as string);
      else visit(v, inEncoding);
    }
  };
  visit(spec, false);
  return [...used].filter((f) => !known.has(f));
}

/** Every `{domain, range}` scale object in the spec. */
export function explicitScales(spec: unknown): { domain: unknown[]; range: unknown[] }[] {
  const out: { domain: unknown[]; range: unknown[] }[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (Array.isArray(o.domain) && Array.isArray(o.range)) out.push({ domain: o.domain, range: o.range });
    for (const [k, v] of Object.entries(o)) if (k !== 'datasets') visit(v);
  };
  visit(spec);
  return out;
}
