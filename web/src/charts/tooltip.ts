// Chart tooltips that work under `style-src 'self'` and inside <mmm-studio>'s shadow root.
// vega-tooltip's own handler injects a <style> element into the page's <head> (blocked by a strict
// CSP) and appends its box to document.body (outside the element's shadow root, so the app's
// styles never reach it). This handler reuses vega-tooltip's content formatting and placement but
// puts the box inside the app's container, styled by the app's CSS (.mmm-tooltip); its position
// is set through the CSSOM (element.style), which CSP allows.
import { DEFAULT_OPTIONS, calculatePositionRelativeToCursor, escapeHTML, formatValue } from 'vega-tooltip';

type TooltipHandler = (handler: unknown, event: MouseEvent, item: unknown, value: unknown) => void;

/** A Vega tooltip handler drawing into the app root that contains `container`. */
export function appTooltip(container: HTMLElement): { call: TooltipHandler; remove(): void } {
  let box: HTMLElement | null = null;
  const call: TooltipHandler = (_handler, event, _item, value) => {
    if (!box) {
      box = container.ownerDocument.createElement('div');
      box.className = 'mmm-tooltip';
      box.setAttribute('role', 'tooltip');
      // The app's root (page or <mmm-studio>), else the top of <mmm-chart>'s shadow root: where the
      // app's styles apply.
      const root = container.getRootNode();
      const top = root instanceof ShadowRoot ? root.firstElementChild : null;
      (container.closest('.mmm-app') ?? top ?? container.ownerDocument.body).append(box);
    }
    if (value === null || value === undefined || value === '') {
      box.classList.remove('mmm-tooltip-visible');
      return;
    }
    // formatValue escapes every value (escapeHTML) and builds a small table; no style attributes.
    box.innerHTML = formatValue(value, escapeHTML, DEFAULT_OPTIONS.maxDepth, DEFAULT_OPTIONS.baseURL);
    box.classList.add('mmm-tooltip-visible');
    const { x, y } = calculatePositionRelativeToCursor(event, box.getBoundingClientRect(), DEFAULT_OPTIONS);
    box.style.left = `${x}px`;
    box.style.top = `${y}px`;
  };
  return { call, remove: () => box?.remove() };
}
