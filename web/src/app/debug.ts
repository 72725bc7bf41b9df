// Developer tools (e.g. the About tab's "Test error handling", which makes the engine fail on
// purpose and so fires <mmm-studio>'s `error` event on the host page) appear only with ?debug in
// the page's address.
export function debugMode(): boolean {
  try {
    return new URLSearchParams(globalThis.location?.search ?? '').has('debug');
  } catch {
    return false;
  }
}
