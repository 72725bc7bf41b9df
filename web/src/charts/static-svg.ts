// A view as a static SVG string without a page: compile with vega-lite, run a headless Vega View
// with the expression interpreter (no eval, so it works under the app's CSP) and serialise.
// Used by the HTML report; works in the browser and in Node.
import { parse, View } from 'vega';
import { expressionInterpreter } from 'vega-interpreter';
import { compile, type TopLevelSpec } from 'vega-lite';

/** Replaces width 'container' (which needs a live element) with a fixed width. */
function fixedWidth(spec: TopLevelSpec, width: number): TopLevelSpec {
  const s = { ...(spec as unknown as Record<string, unknown>) };
  if (s.width === 'container') s.width = width;
  return s as unknown as TopLevelSpec;
}

export async function specToSvg(spec: TopLevelSpec, width = 860): Promise<string> {
  const vg = compile(fixedWidth(spec, width)).spec;
  const view = new View(parse(vg, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter as never });
  view.logLevel(0);
  try {
    await view.runAsync();
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
