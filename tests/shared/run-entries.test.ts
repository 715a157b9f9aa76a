// Entries kept between runs: a run keeps what it used or added, and says when that differs from what it started with.
import { describe, expect, it } from "vitest";
import { RunEntries } from "../../src/shared/run-entries.ts";

describe("RunEntries", () => {
  it("keeps the entries a run used and added, and forgets the others", () => {
    const entries = new RunEntries(
      new Map([
        ["a", 1],
        ["b", 2],
      ]),
    );
    expect(entries.use("a")).toBe(1);
    entries.add("c", 3);
    expect(entries.endRun()).toEqual(
      new Map([
        ["a", 1],
        ["c", 3],
      ]),
    );
    expect(entries.keptCount).toBe(2);
  });

  it("says nothing changed when a run used every kept entry and added none", () => {
    const entries = new RunEntries(new Map([["a", 1]]));
    entries.use("a");
    expect(entries.endRun()).toBeUndefined();
    // The next run starts from the same entries.
    expect(entries.use("a")).toBe(1);
  });

  it("does not keep an entry that no longer holds", () => {
    const entries = new RunEntries(new Map([["a", 1]]));
    expect(entries.use("a", (value) => value === 2)).toBeUndefined();
    expect(entries.endRun()).toEqual(new Map());
  });

  it("keeps an offered entry only when the run uses it, and then writes it", () => {
    const entries = new RunEntries<number>();
    entries.offer("a", 1);
    entries.offer("b", 2);
    expect(entries.use("a")).toBe(1);
    expect(entries.endRun()).toEqual(new Map([["a", 1]]));
  });
});
