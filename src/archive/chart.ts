// Geometry of the archive's bar chart (articles per year), computed at build time so the page needs no script.

/** One bar of the chart, in SVG user units. */
export interface Bar {
  label: string;
  count: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A chart ready to draw: its size and bars, left to right in time order. */
export interface Chart {
  width: number;
  height: number;
  /** Height of the plot area; labels go below it. */
  plotHeight: number;
  max: number;
  bars: Bar[];
}

/**
 * Lays out one bar per entry (oldest first) scaled to the largest count. The label band under the
 * plot holds the year; every bar is at least 1 unit tall so a year with one article still shows.
 */
export function barChart(entries: readonly { label: string; count: number }[], size = { width: 640, height: 200, labelBand: 24 }): Chart {
  const plotHeight = size.height - size.labelBand;
  const max = Math.max(1, ...entries.map((entry) => entry.count));
  const slot = entries.length > 0 ? size.width / entries.length : size.width;
  const bars = entries.map((entry, index) => {
    const height = entry.count === 0 ? 0 : Math.max(1, Math.round((entry.count / max) * (plotHeight - 16)));
    return {
      label: entry.label,
      count: entry.count,
      x: Math.round(index * slot + slot * 0.1),
      y: plotHeight - height,
      width: Math.max(1, Math.round(slot * 0.8)),
      height,
    };
  });
  return { width: size.width, height: size.height, plotHeight, max, bars };
}
