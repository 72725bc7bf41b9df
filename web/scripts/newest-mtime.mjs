// The newest modification time (ms) of any file under the given paths (relative to root; missing
// paths are skipped): what "is this build output stale?" compares against.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function newestMtime(root, paths) {
  let m = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) walk(join(p, e));
    else m = Math.max(m, st.mtimeMs);
  };
  paths.forEach((p) => walk(join(root, p)));
  return m;
}
