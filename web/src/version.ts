// The app's version, written into model bundles and reports (kept equal to package.json's by a test).
export const APP_VERSION = '0.1.0';
