import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { dateMillis, toDateTime } from "../../src/dates/index.ts";
import { parseArticleDate, plainDateTimeMillis } from "../../src/dates/parse.ts";

/** Date-times in the plain form spread over 1000–2099, every offset sign and with and without seconds (a fixed sequence). */
function plainDateTimes(count: number): string[] {
  const values: string[] = [];
  let seed = 12345;
  const next = (below: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % below;
  };
  const two = (n: number): string => String(n).padStart(2, "0");
  for (let i = 0; i < count; i += 1) {
    const year = 1000 + next(1100);
    const month = 1 + next(12);
    const day = 1 + next(new Date(Date.UTC(year, month, 0)).getUTCDate());
    const time = `${two(next(24))}:${two(next(60))}${i % 3 === 0 ? "" : `:${two(next(60))}`}`;
    const offset = i % 4 === 0 ? "Z" : `${i % 2 === 0 ? "-" : "+"}${two(next(15))}:${two([0, 30, 45][next(3)]!)}`;
    values.push(`${year}-${two(month)}-${two(day)}T${time}${offset}`);
  }
  return values;
}

describe("plainDateTimeMillis", () => {
  it("reads every plain date-time as the moment luxon reads", () => {
    for (const value of plainDateTimes(3000)) {
      expect(plainDateTimeMillis(value), value).toBe(DateTime.fromISO(value, { setZone: true }).toMillis());
    }
  });

  it("leaves impossible dates and other forms to luxon, which decides them as before", () => {
    const others = [
      "2013-02-29T10:00:00Z",
      "2012-13-01T10:00Z",
      "2013-04-31T10:00Z",
      "2013-08-04T24:00:00Z",
      "2013-08-04T10:60Z",
      "2013-08-04T10:00:60Z",
      "2013-08-04T10:00:00.250+03:00",
      "2013-08-04T10:00+24:00",
      "0099-08-04T10:00:00Z",
      "2013-08-04",
      "2013-08-04T10:00:00",
      "2013-08-04 10:00:00+03:00",
    ];
    for (const value of others) expect(plainDateTimeMillis(value), value).toBeUndefined();
    expect(plainDateTimeMillis("1900-02-29T10:00Z")).toBeUndefined();
    for (const leapDay of ["2000-02-29T10:00Z", "2012-02-29T10:00Z"]) expect(plainDateTimeMillis(leapDay)).toBe(Date.parse(leapDay));
    expect(parseArticleDate("2013-02-29T10:00:00Z", "UTC")).toBeNull();
    expect(parseArticleDate("2013-08-04T10:00:00.250+03:00", "UTC")?.toMillis()).toBe(Date.parse("2013-08-04T07:00:00.250Z"));
    expect(parseArticleDate("0099-08-04T10:00:00Z", "UTC")?.year).toBe(99);
  });
});

describe("toDateTime", () => {
  it("gives a plain date-time as luxon's parser and zone change would, in an IANA zone and in UTC", () => {
    for (const timezone of ["Asia/Jerusalem", "America/St_Johns", "UTC"]) {
      for (const value of plainDateTimes(300)) {
        const fast = toDateTime(value, timezone);
        const luxon = DateTime.fromISO(value, { setZone: true }).setZone(timezone);
        expect(fast.equals(luxon), `${value} in ${timezone}`).toBe(true);
        expect(fast.toISO()).toBe(luxon.toISO());
      }
    }
  });
});

describe("dateMillis", () => {
  it("gives the moment toDateTime gives, a date-only date at midnight in the zone asked for", () => {
    for (const value of [...plainDateTimes(50), "2013-08-04", "2013-08-04T09:30:00.500+03:00", "2016-02-29"]) {
      for (const timezone of ["Asia/Jerusalem", "UTC"])
        expect(dateMillis(value, timezone), value).toBe(toDateTime(value, timezone).toMillis());
    }
    expect(dateMillis("2013-08-04", "Asia/Jerusalem")).toBe(Date.parse("2013-08-03T21:00:00Z"));
  });
});
