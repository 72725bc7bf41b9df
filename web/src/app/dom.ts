// Tiny DOM helpers: the app is plain TypeScript, no framework.

type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;
type Child = Node | string | null | undefined | false;

/** Creates an element; attributes starting with "on" become listeners, booleans toggle. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    else if (value === true) el.setAttribute(key, '');
    else if (key === 'class') el.className = String(value);
    else el.setAttribute(key, String(value));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

/** A message box; severity picks the colour and the ARIA role. */
export function alertBox(severity: 'error' | 'warning' | 'info', title: string, detail?: string): HTMLElement {
  return h(
    'div',
    { class: `mmm-alert mmm-alert-${severity}`, role: severity === 'error' ? 'alert' : 'status' },
    h('strong', {}, title),
    detail ? h('div', {}, detail) : null,
  );
}
