import { describe, expect, it } from "vitest";
import { barChart } from "../../src/archive/chart.ts";

describe("barChart", () => {
  it("scales bars to the largest count, left to right in the given order", () => {
    const chart = barChart([{ label: "2019", count: 5 }, { label: "2020", count: 10 }], { width: 200, height: 124, labelBand: 24 });
    expect(chart.bars.map((bar) => [bar.label, bar.x, bar.height])).toEqual([["2019", 10, 42], ["2020", 110, 84]]);
    expect(chart.bars.every((bar) => bar.y + bar.height === chart.plotHeight)).toBe(true);
  });

  it("keeps a bar of one article visible next to a large one", () => {
    const chart = barChart([{ label: "a", count: 1 }, { label: "b", count: 100000 }]);
    expect(chart.bars[0]?.height).toBeGreaterThanOrEqual(1);
  });
});
