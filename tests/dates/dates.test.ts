import { describe, expect, it } from "vitest";
import { formatDateline, formatIsoDate, formatUtcIso, memoize, memoize2 } from "../../src/dates/index.ts";

describe("formatDateline", () => {
  it("shows a date-only article on its own day", () => {
    expect(formatDateline("2013-08-04", "Asia/Jerusalem")).toBe("August 4, 2013");
  });

  it("shows a date-time on the calendar day of the site's time zone", () => {
    // 23:30 in New York is already the next morning in Jerusalem.
    expect(formatDateline("2013-08-04T23:30:00-04:00", "Asia/Jerusalem")).toBe("August 5, 2013");
  });
});

describe("formatIsoDate", () => {
  it("gives an ISO timestamp with the site's offset", () => {
    expect(formatIsoDate("2013-08-04T23:30:00-04:00", "Asia/Jerusalem")).toBe("2013-08-05T06:30:00.000+03:00");
  });

  it("throws on an invalid date instead of guessing", () => {
    expect(() => formatIsoDate("2013-02-30", "UTC")).toThrow(/invalid article date/);
  });
});

describe("formatUtcIso", () => {
  it("reads a date-only date as midnight in the site's time zone and writes it in UTC", () => {
    expect(formatUtcIso("2013-08-04", "Asia/Jerusalem")).toBe("2013-08-03T21:00:00.000Z");
  });

  it("orders times inside the repeated hour of a clock change", () => {
    // 01:30 at +01:00 happens an hour after 01:30 at +02:00 (Berlin, 27 October 2024).
    const first = formatUtcIso("2024-10-27T01:30:00+02:00", "Europe/Berlin");
    const second = formatUtcIso("2024-10-27T01:30:00+01:00", "Europe/Berlin");
    expect(first < second).toBe(true);
  });
});

describe("memoize", () => {
  it("computes once per distinct argument, undefined results included", () => {
    let calls = 0;
    const lookUp = memoize((value: string) => {
      calls += 1;
      return value === "none" ? undefined : value.toUpperCase();
    });
    expect([lookUp("a"), lookUp("a"), lookUp("b"), lookUp("none"), lookUp("none")]).toEqual(["A", "A", "B", undefined, undefined]);
    expect(calls).toBe(3);
  });
});

describe("memoize2", () => {
  it("computes once per distinct pair of arguments, telling apart pairs that share one", () => {
    let calls = 0;
    const repeat = memoize2((value: string, times: number) => {
      calls += 1;
      return value.repeat(times);
    });
    expect([repeat("a", 2), repeat("a", 2), repeat("b", 2), repeat("a", 3), repeat("b", 2)]).toEqual(["aa", "aa", "bb", "aaa", "bb"]);
    expect(calls).toBe(3);
  });

  it("gives a remembered result without computing it, for those arguments only", () => {
    let calls = 0;
    const repeat = memoize2((value: string, times: number) => {
      calls += 1;
      return value.repeat(times);
    });
    repeat.remember("a", 2, "told");
    expect([repeat("a", 2), repeat("a", 3)]).toEqual(["told", "aaa"]);
    expect(calls).toBe(1);
  });
});
