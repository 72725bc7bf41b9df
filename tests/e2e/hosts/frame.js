// The iframe case: the same host page (studio.html) inside a same-origin iframe, with this page's
// query string passed through.
window.__host = { violations: [] };
document.addEventListener('securitypolicyviolation', (e) => window.__host.violations.push(`${e.violatedDirective} ${e.blockedURI}`));
document.getElementById('frame').src = `studio.html${location.search}`;
