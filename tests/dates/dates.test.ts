import { describe, expect, it } from "vitest";
import { formatDateline, formatIsoDate } from "../../src/dates/index.ts";

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
