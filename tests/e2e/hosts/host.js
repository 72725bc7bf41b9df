// Test host page logic (a portal page embedding <mmm-studio>): query parameters become the
// element's attributes; events and CSP violations are recorded in window.__host for the tests.
//   ?base-url=…&threads=off&theme=dark&locale=de-DE&view=train&chart=roi
const params = new URLSearchParams(location.search);
const host = { events: [], progress: 0, violations: [] };
window.__host = host;
document.addEventListener('securitypolicyviolation', (e) => host.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));

const el = document.createElement('mmm-studio');
el.id = 'studio';
for (const a of ['base-url', 'threads', 'theme', 'view', 'locale']) if (params.has(a)) el.setAttribute(a, params.get(a));
for (const type of ['ready', 'fitted', 'error']) el.addEventListener(type, (e) => host.events.push({ type, detail: e.detail }));
el.addEventListener('progress', () => { host.progress += 1; });
document.getElementById('slot').append(el);

for (const view of (params.get('chart') ?? '').split(',').filter(Boolean)) {
  const chart = document.createElement('mmm-chart');
  chart.setAttribute('view', view);
  chart.addEventListener('rendered', (e) => host.events.push({ type: 'rendered', detail: e.detail }));
  document.getElementById('charts').append(chart);
}
