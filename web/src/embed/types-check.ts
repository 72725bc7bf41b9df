// Compile-time only: the public types (types.ts, shipped as mmm-studio.d.ts) must stay assignable
// to and from the app's internal types. `npm run typecheck` fails when they drift apart.
import type { ViewId } from '../charts';
import type { FitOptions } from '../engine/core-types';
import type { Variant } from '../engine/core-types';
import type { MmmChartElement as ChartImpl } from './chart-element';
import type { MmmStudioElement as StudioImpl } from './studio-element';
import type { MmmChartElement, MmmFitOptions, MmmStudioElement, MmmVariant, MmmViewId } from './types';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const ok = <T extends true>(): T => true as T;

// Every dashboard view, and nothing else.
ok<Same<MmmViewId, ViewId>>();
ok<Same<MmmVariant, Variant>>();
// Public fit options are a subset of the engine's.
ok<MmmFitOptions extends FitOptions ? true : false>();
// The element classes implement the documented interfaces.
ok<StudioImpl extends Omit<MmmStudioElement, 'addEventListener' | 'removeEventListener'> ? true : false>();
ok<ChartImpl extends MmmChartElement ? true : false>();
