// The Nu Html Checker (vnu.jar) on built files, for the tests that hold pages to being valid HTML.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import path from "node:path";
import { projectRoot } from "./build.ts";

const run = promisify(execFile);

// vnu-jar default-exports the jar path but ships no types, so the path is spelled out here.
const vnuJar = path.join(projectRoot, "node_modules/vnu-jar/build/dist/vnu.jar");

/**
 * JVM options for one short run: the client compiler only and one garbage-collector thread start the checker in a
 * third of the CPU time of the defaults, which tune the JVM for long-running servers. The client compiler needs a
 * larger thread stack for the HTML schema (vnu says at least 512k).
 */
const JVM_OPTIONS = ["-Xss2m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"];

/** One message of the checker's JSON report. */
export interface VnuMessage {
  type: string;
  url?: string;
  message: string;
  lastLine?: number;
}

/** Checks `files` in one run of the checker and returns its errors (of the document or of reading it). */
export async function htmlErrors(files: readonly string[]): Promise<VnuMessage[]> {
  let stderr: string;
  try {
    ({ stderr } = await run("/usr/bin/java", [...JVM_OPTIONS, "-jar", vnuJar, "--errors-only", "--format", "json", ...files], {
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (error) {
    // vnu exits non-zero when it finds errors; the JSON report is still on stderr.
    const failed = error as { stderr?: string };
    if (!failed.stderr) throw error;
    stderr = failed.stderr;
  }
  const report = JSON.parse(stderr) as { messages: VnuMessage[] };
  return report.messages.filter((message) => message.type === "error" || message.type === "non-document-error");
}
