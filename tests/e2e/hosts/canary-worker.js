let outcome = 'eval allowed';
try {
  new Function('return 1')();
} catch (e) {
  outcome = String(e);
}
postMessage(outcome);
