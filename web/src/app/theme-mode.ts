// Light or dark: the system's prefers-color-scheme until the user picks one with the header's
// toggle (remembered in localStorage). Inside <mmm-studio> a `theme` attribute wins over both.
// The app root gets data-theme; charts read it when they are drawn (charts/render.ts themeOf).
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'mmm-studio-theme';
const listeners = new Set<(t: Theme) => void>();
let forced: Theme | null = null;
let media: MediaQueryList | null = null;

function stored(): Theme | null {
  try {
    const v = globalThis.localStorage?.getItem(STORAGE_KEY);
    return v === 'dark' || v === 'light' ? v : null;
  } catch {
    return null; // storage blocked (sandboxed frame, privacy mode): follow the system
  }
}

function systemTheme(): Theme {
  media ??= typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
  return media?.matches ? 'dark' : 'light';
}

/** The theme in effect: the element's attribute, else the user's choice, else the system's. */
export function currentTheme(): Theme {
  return forced ?? stored() ?? systemTheme();
}

/** True when the theme is fixed by the host (the element's `theme` attribute). */
export function themeForced(): boolean {
  return forced !== null;
}

function notify(): void {
  const t = currentTheme();
  for (const fn of listeners) fn(t);
}

/** The user's choice from the toggle (saved for the next visit). */
export function chooseTheme(t: Theme): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, t);
  } catch {
    // not saved; it still applies to this page
  }
  notify();
}

/** The host's theme (null: none, follow the user and the system). */
export function forceTheme(t: Theme | null): void {
  forced = t;
  notify();
}

/** Calls `fn` whenever the theme in effect may have changed; returns an unsubscribe. */
export function onThemeChange(fn: (t: Theme) => void): () => void {
  if (listeners.size === 0) {
    systemTheme();
    media?.addEventListener('change', notify);
  }
  listeners.add(fn);
  return () => {
    listeners.delete(fn);
    if (listeners.size === 0) media?.removeEventListener('change', notify);
  };
}
