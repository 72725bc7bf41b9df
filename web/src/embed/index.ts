// Entry of the embed build (npm run build:embed → dist-embed/mmm-studio.js): defines
// <mmm-studio> and <mmm-chart>. Load it as a module from your own origin:
//   <script type="module" src="/static/mmm-studio/mmm-studio.js"></script>
//   <mmm-studio></mmm-studio>
// See docs/embedding.md for attributes, events, methods and the headers a host should send.
// First, so the app's base styles come before the panels' own sheets (shadow roots adopt them).
import '../app/styles.css';
import { MmmChartElement } from './chart-element';
import { MmmStudioElement, MmmError, EMBED_BASE } from './studio-element';

export type * from './types';
export { MmmStudioElement, MmmChartElement, MmmError, EMBED_BASE };

/** Defines the elements (done on import; safe to call again, e.g. after a second copy loaded). */
export function defineElements(): void {
  if (!customElements.get('mmm-studio')) customElements.define('mmm-studio', MmmStudioElement);
  if (!customElements.get('mmm-chart')) customElements.define('mmm-chart', MmmChartElement);
}

defineElements();
