// Actions the panels offer to code outside them: the <mmm-studio> element's methods (loadCsv,
// fit, …) run the same code as the buttons, so the UI and the API never disagree.
import type { FitOptions } from '../engine/core-types';
import type { ModelResults } from '../engine/results';

export interface AppCommands {
  /** Reads a CSV (ingest worker) or opens a .mmm bundle, like a dropped file. */
  loadFile(file: File): Promise<void>;
  /** Parses CSV text in the ingest worker, like "Paste CSV". */
  loadText(text: string, name: string): Promise<void>;
  /** Loads the built-in example data. */
  loadDemo(): Promise<void>;
  /** Trains on the loaded data with the Train tab's settings, overridden by `options`.
   * Resolves with the results; rejects with an EngineError (CANCELLED when cancelled). */
  fit(options: Partial<FitOptions>): Promise<ModelResults>;
  /** Cancels a running fit (cooperatively, then a hard stop after a second). */
  cancelFit(): void;
  /** Shows a tab: data, train, results, export, about. */
  showTab(id: string): void;
}

const registry: Partial<AppCommands> = {};

export function provideCommand<K extends keyof AppCommands>(name: K, fn: AppCommands[K]): void {
  registry[name] = fn;
}

export function command<K extends keyof AppCommands>(name: K): AppCommands[K] {
  const fn = registry[name];
  if (!fn) throw new Error(`the app is not mounted (no '${name}' command)`);
  return fn;
}
