// Rendering and export. Specs are embedded with vega-embed in AST mode with the expression
// interpreter, so no string is ever evaluated as code (the app runs under a CSP without
// 'unsafe-eval'). Exports: PNG and SVG from the live view, CSV from the spec's main dataset.
import type { View } from 'vega';
import embed, { type VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';
import { themedSpec, withFullLabels, type ChartTheme } from './theme';
import { appTooltip } from './tooltip';
import type { ChartMeta } from './types';
import { toCsv } from '../export/csv';

export interface RenderOptions {
  renderer?: 'svg' | 'canvas';
  /** Show tooltips. Default true. */
  tooltip?: boolean;
  /** Colours; default: the `data-theme` of the nearest themed ancestor (the app's root). */
  theme?: ChartTheme;
}

/** The theme in effect for an element: its nearest [data-theme] ancestor's (light by default). */
export function themeOf(el: Element): ChartTheme {
  return el.closest('[data-theme]')?.getAttribute('data-theme') === 'dark' ? 'dark' : 'light';
}

export interface RenderedView {
  view: View;
  spec: TopLevelSpec;
  /** Removes listeners and timers; call before discarding the container's content. */
  finalize(): void;
}

/**
 * Draws a spec into `container` (its content is replaced). The container should be block-level
 * with a width: views with width 'container' fill it and follow its resizes.
 */
export async function renderView(container: HTMLElement, spec: TopLevelSpec, options: RenderOptions = {}): Promise<RenderedView> {
  const tooltip = options.tooltip === false ? null : appTooltip(container);
  // Compiled here (not by vega-embed) so the Vega spec can get full-label tooltips (theme.ts).
  const vg = withFullLabels(compile(themedSpec(spec, options.theme ?? themeOf(container))).spec);
  const result = await embed(container, vg as VisualizationSpec, {
    mode: 'vega',
    ast: true,
    expr: expressionInterpreter,
    actions: false,
    renderer: options.renderer ?? 'svg',
    // Our handler, not vega-tooltip's: that one injects a <style> (see tooltip.ts).
    tooltip: tooltip ? tooltip.call : false,
    // No injected stylesheet either: the app's CSS styles the chart container.
    defaultStyle: false,
    logLevel: 1, // errors only
  });
  const description = (spec as { description?: string }).description;
  if (description && !container.getAttribute('aria-label')) container.setAttribute('aria-label', description);
  return {
    view: result.view,
    spec,
    finalize: () => {
      result.finalize();
      tooltip?.remove();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Export

export function chartMeta(spec: TopLevelSpec): ChartMeta | null {
  const m = (spec as { usermeta?: Partial<ChartMeta> }).usermeta;
  return m && typeof m.viewId === 'string' ? { viewId: m.viewId, mainDataset: m.mainDataset ?? 'main' } : null;
}

/** The rows of the spec's main dataset (what the chart draws, already aggregated). */
export function mainRows(spec: TopLevelSpec): Record<string, unknown>[] {
  const datasets = (spec as { datasets?: Record<string, Record<string, unknown>[]> }).datasets ?? {};
  const name = chartMeta(spec)?.mainDataset ?? 'main';
  const rows = datasets[name];
  if (rows) return rows;
  const inline = (spec as { data?: { values?: unknown } }).data?.values;
  return Array.isArray(inline) ? (inline as Record<string, unknown>[]) : [];
}

/** The chart's data as CSV, through the app's one CSV writer (BOM, CRLF, formula-escaped). */
export function specCsv(spec: TopLevelSpec): string {
  return toCsv(mainRows(spec));
}

/** A file name for a chart's exports: "mmm-<view>-<yyyy-mm-dd>". */
export function exportName(spec: TopLevelSpec, now = new Date()): string {
  return `mmm-${chartMeta(spec)?.viewId ?? 'chart'}-${now.toISOString().slice(0, 10)}`;
}

export async function pngUrl(view: View, scale = 2): Promise<string> {
  return view.toImageURL('png', scale);
}

export async function svgText(view: View): Promise<string> {
  return view.toSVG();
}

function download(href: string, filename: string, doc: Document): void {
  const a = doc.createElement('a');
  a.href = href;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  if (href.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(href), 1000);
}

function downloadText(text: string, type: string, filename: string, doc: Document): void {
  download(URL.createObjectURL(new Blob([text], { type })), filename, doc);
}

export async function savePng(rendered: RenderedView, filename = exportName(rendered.spec), scale = 2, doc: Document = document): Promise<void> {
  download(await pngUrl(rendered.view, scale), `${filename}.png`, doc);
}

export async function saveSvg(rendered: RenderedView, filename = exportName(rendered.spec), doc: Document = document): Promise<void> {
  downloadText(await svgText(rendered.view), 'image/svg+xml', `${filename}.svg`, doc);
}

export function saveCsv(spec: TopLevelSpec, filename = exportName(spec), doc: Document = document): void {
  downloadText(specCsv(spec), 'text/csv;charset=utf-8', `${filename}.csv`, doc);
}
