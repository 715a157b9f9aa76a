import { describe, expect, it } from "vitest";
import { CHART_SIZE, barChart } from "../../src/archive/chart.ts";

describe("barChart", () => {
  it("draws one row per entry, top to bottom, bars scaled to the largest count", () => {
    const chart = barChart(
      [
        { label: "2019", count: 5 },
        { label: "2020", count: 10 },
      ],
      { width: 200, rowHeight: 20, labelWidth: 40, countWidth: 60 },
    );
    expect(chart.bars.map((bar) => [bar.label, bar.x, bar.y, bar.width, bar.height])).toEqual([
      ["2019", 40, 3, 50, 14],
      ["2020", 40, 23, 100, 14],
    ]);
    expect(chart.height).toBe(40);
  });

  it("keeps every bar and its count inside the drawing", () => {
    const chart = barChart(Array.from({ length: 26 }, (_, index) => ({ label: String(2000 + index), count: index * 37 })));
    for (const bar of chart.bars) {
      expect(bar.x + bar.width + CHART_SIZE.countWidth).toBeLessThanOrEqual(chart.width);
      expect(bar.y + bar.height).toBeLessThanOrEqual(chart.height);
    }
  });

  it("keeps a bar of one article visible next to a large one, and none for an empty year", () => {
    const chart = barChart([
      { label: "a", count: 1 },
      { label: "b", count: 100000 },
      { label: "c", count: 0 },
    ]);
    expect(chart.bars.map((bar) => bar.width > 0)).toEqual([true, true, false]);
  });
});
