// One temporary folder per `npm test` run, holding every build output and scratch folder of the run, removed at
// the end (vitest's global setup), so a run leaves nothing behind in the system's temp folder.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

/** Where the run's temporary folders go: the run's own folder under vitest, the system's temp folder otherwise. */
export function testTmpdir(): string {
  return process.env.BROADSHEET_TEST_TMP ?? tmpdir();
}

/** Vitest global setup: makes the run's folder and returns the teardown that removes it. */
export default async function setup(): Promise<() => Promise<void>> {
  const folder = await mkdtemp(path.join(tmpdir(), "broadsheet-test-run-"));
  process.env.BROADSHEET_TEST_TMP = folder;
  return async () => {
    await rm(folder, { recursive: true, force: true });
  };
}
