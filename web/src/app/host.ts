// Where the app lives: the page (index.html) or the shadow root of an <mmm-studio> element.
// Everything that used to reach for `document` globals (the drop target, the wasm folder, the
// engine worker, the element that hosts download links) asks the current host instead.
//
// The app keeps one state per page (state.ts), so there is one host per page: the standalone app
// or a single <mmm-studio> element.
import { setAssetBase } from '../client/asset-base';
import { createEngineWorker, type WorkerPort } from '../client/engine-client';

export interface AppHostOptions {
  /** The element the app renders into (`.mmm-app`); inside a shadow root for the embed. */
  container: HTMLElement;
  /** Files dropped on this element are loaded. Default: the page's body, or the shadow host. */
  dropTarget?: HTMLElement;
  /** Absolute URL of the folder that holds `wasm/` (and `ort/`), ending with '/'.
   * Default: the document's base URL (the folder of index.html). */
  assetBase?: string;
  /** Creates the engine worker. Default: the bundled core.worker. */
  createEngineWorker?: () => WorkerPort;
  /** True inside <mmm-studio> (no service worker, no page-level hooks). */
  embedded?: boolean;
}

export interface AppHost {
  readonly container: HTMLElement;
  /** The tree the app's ids live in: the document, or the element's shadow root. */
  readonly root: Document | ShadowRoot;
  readonly dropTarget: HTMLElement;
  readonly assetBase: string;
  readonly embedded: boolean;
  createEngineWorker(): WorkerPort;
  /** URL of a static asset folder or file, e.g. assetUrl('wasm/'). */
  assetUrl(path: string): string;
  /** Finds an element by id inside the app (works in a shadow root too). */
  byId<T extends HTMLElement = HTMLElement>(id: string): T | null;
  /** Runs `fn` when the app is unmounted (an <mmm-studio> removed): for page-wide listeners. */
  onUnmount(fn: () => void): void;
  /** Runs the onUnmount callbacks (once). */
  unmount(): void;
}

let current: AppHost | null = null;

/** Ensures a folder URL ends with '/' and is absolute (relative values resolve against the page). */
export function folderUrl(value: string, base: string = document.baseURI): string {
  const url = new URL(value, base).href;
  return url.endsWith('/') ? url : `${url}/`;
}

export function createAppHost(opts: AppHostOptions): AppHost {
  current = buildHost(opts);
  setAssetBase(current.assetBase);
  return current;
}

function buildHost(opts: AppHostOptions): AppHost {
  const root = opts.container.getRootNode() as Document | ShadowRoot;
  const assetBase = folderUrl(opts.assetBase ?? document.baseURI);
  const cleanups: (() => void)[] = [];
  const host: AppHost = {
    container: opts.container,
    root,
    dropTarget: opts.dropTarget ?? (root instanceof ShadowRoot ? (root.host as HTMLElement) : document.body),
    assetBase,
    embedded: opts.embedded ?? false,
    createEngineWorker: opts.createEngineWorker ?? (() => createEngineWorker()),
    assetUrl: (path) => new URL(path, assetBase).href,
    byId: <T extends HTMLElement>(id: string) =>
      (root instanceof ShadowRoot ? root.getElementById(id) : (root as Document).getElementById(id)) as T | null,
    onUnmount: (fn) => void cleanups.push(fn),
    unmount: () => {
      for (const fn of cleanups.splice(0)) fn();
    },
  };
  return host;
}

/** The host the app is mounted in. Before mounting (unit tests), a page-level default. */
export function appHost(): AppHost {
  if (current) return current;
  if (typeof document === 'undefined') throw new Error('the app is not mounted');
  return buildHost({ container: document.body });
}

/** Forgets the host (an <mmm-studio> element was removed). */
export function resetAppHost(host: AppHost): void {
  host.unmount();
  if (current === host) current = null;
}
