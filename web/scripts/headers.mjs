// The HTTP headers the app wants from any server (documented in the README for static hosts).
// The CSP must be a header, not a <meta>: a meta CSP does not reach workers.

export const CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

export const COI = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** @param {{isolated: boolean, csp: boolean}} opts */
export function securityHeaders({ isolated, csp }) {
  return {
    ...(isolated ? COI : {}),
    ...(csp ? { 'Content-Security-Policy': CSP } : {}),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
}
