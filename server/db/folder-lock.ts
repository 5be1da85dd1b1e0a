/**
 * PGlite runs PostgreSQL in single-user mode inside this process: a second process opening the
 * same folder would corrupt it. A lock file next to the folder (`<dataDir>.lock`, holding the
 * owner's pid) keeps a second server or `npm run db:migrate` out; a lock left by a process that
 * no longer exists (e.g. after kill -9) is taken over.
 */
import { open, readFile, rm } from "node:fs/promises";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Take the lock of a data folder; resolves to its release function. Throws, naming the owner,
 * when another live process holds it.
 */
export async function lockFolder(dataDir: string): Promise<() => Promise<void>> {
  const path = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await readFile(path, "utf8").catch(() => "")).trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new Error(`it is in use by process ${owner} (${path})`);
      }
      await rm(path, { force: true });
    }
  }
  throw new Error(`cannot take the lock ${path}`);
}
