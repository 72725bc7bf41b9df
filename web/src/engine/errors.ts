import type { CoreFailure, CoreResult, ErrorCode } from './core-types';

/** An error reported by the engine, rebuilt from plain {code, message} data on either side of
 * the worker boundary. */
export class EngineError extends Error {
  readonly code: ErrorCode | 'WORKER_CRASHED' | 'TERMINATED';
  constructor(code: EngineError['code'], message: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
  }
  toJSON(): { code: EngineError['code']; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** Returns the payload of a successful core call or throws its error as an EngineError. */
export function unwrap<T>(result: CoreResult<T>): T {
  if (!result || typeof result !== 'object') {
    throw new EngineError('INTERNAL', 'the engine returned no result');
  }
  if (result.ok) {
    const { ok: _ok, ...payload } = result;
    return payload as T;
  }
  const failure = result as CoreFailure;
  throw new EngineError(failure.code, failure.message);
}
