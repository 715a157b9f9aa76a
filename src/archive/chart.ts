// Geometry of the archive's bar chart (articles per year), computed at build time so the page needs no script.
// Horizontal bars, one row per year: the labels stay legible at any width and any number of years, where a
// column chart's year labels run together on a wide screen and shrink to nothing on a phone.

/** One bar of the chart, in SVG user units. */
export interface Bar {
  label: string;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A chart ready to draw: its size and bars, top to bottom in the given order. */
export interface Chart {
  width: number;
  height: number;
  /** Where the bars start: the year labels end just left of it. */
  plotLeft: number;
  /** Width left for the longest bar (its count is written after it). */
  plotWidth: number;
  /** Height of one row (bar and gap). */
  rowHeight: number;
  max: number;
  bars: Bar[];
}

/** Chart proportions in user units. The width is about a phone's, so on a phone text is drawn near its own size. */
export interface ChartSize {
  width: number;
  rowHeight: number;
  /** Room for the labels left of the bars. */
  labelWidth: number;
  /** Room for the count right of the longest bar. */
  countWidth: number;
}

/** Default proportions: 360 units wide, 22 a row. */
export const CHART_SIZE: ChartSize = { width: 360, rowHeight: 22, labelWidth: 46, countWidth: 48 };

/**
 * Lays out one bar per entry, top to bottom in the given order, scaled to the largest count; every bar
 * of a non-zero count is at least 1 unit long so a year with one article still shows.
 */
export function barChart(entries: readonly { label: string; count: number }[], size: ChartSize = CHART_SIZE): Chart {
  const plotWidth = size.width - size.labelWidth - size.countWidth;
  const max = Math.max(1, ...entries.map((entry) => entry.count));
  const thickness = Math.round(size.rowHeight * 0.7);
  const bars = entries.map((entry, index) => ({
    label: entry.label,
    count: entry.count,
    x: size.labelWidth,
    y: index * size.rowHeight + Math.round((size.rowHeight - thickness) / 2),
    width: entry.count === 0 ? 0 : Math.max(1, Math.round((entry.count / max) * plotWidth)),
    height: thickness,
  }));
  return {
    width: size.width,
    height: Math.max(1, entries.length) * size.rowHeight,
    plotLeft: size.labelWidth,
    plotWidth,
    rowHeight: size.rowHeight,
    max,
    bars,
  };
}
