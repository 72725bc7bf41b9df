// The app's CSS for shadow roots. In the embed build every `import './x.css'` of the app becomes
// `registerCss(text)` (plugin in web/vite.embed.config.ts), so panels keep importing their CSS as
// usual and every element's shadow root adopts all of it. Constructed style sheets are not inline
// <style> elements, so this also works under a CSP without style-src 'unsafe-inline'.
const texts: string[] = [];
let sheets: CSSStyleSheet[] | null = null;

export function registerCss(css: string): void {
  texts.push(css);
  sheets = null;
}

/** Gives a shadow root the app's styles (plus `extra`), shared between elements. */
export function adoptStyles(root: ShadowRoot, extra: string[] = []): void {
  const all = [...texts, ...extra];
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet !== 'undefined' && 'replaceSync' in CSSStyleSheet.prototype) {
    sheets ??= texts.map(toSheet);
    root.adoptedStyleSheets = [...sheets, ...extra.map(toSheet)];
    return;
  }
  for (const css of all) {
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  }
}

function toSheet(css: string): CSSStyleSheet {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  return sheet;
}
