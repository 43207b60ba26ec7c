/** One line (or bar series) of a time chart: [time in ms, value] points. */
export interface TimeSeries {
  name: string;
  points: readonly (readonly [number, number | null])[];
  type?: 'line' | 'bar';
  stack?: string;
}

export interface TimeChartStyle {
  dark: boolean;
  /** The time axis spans this range (ISO 8601) rather than the data's. */
  range?: { from: string; to: string };
  /** Formats values on the axis and in the tooltip. */
  format?: (value: number) => string;
}

/**
 * ECharts options of a time chart in the console's look: transparent background, axis and legend
 * colours readable on the light and the dark theme.
 */
export function timeChartOptions(series: readonly TimeSeries[], style: TimeChartStyle): Record<string, unknown> {
  const text = style.dark ? '#cac4d0' : '#49454f';
  const line = style.dark ? '#49454f' : '#e0e0e6';
  const format = style.format ?? ((value: number) => String(value));
  return {
    backgroundColor: 'transparent',
    animation: false,
    grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    legend: { top: 0, textStyle: { color: text } },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value: unknown) => (typeof value === 'number' ? format(value) : '—'),
    },
    xAxis: {
      type: 'time',
      ...(style.range && { min: Date.parse(style.range.from), max: Date.parse(style.range.to) }),
      axisLabel: { color: text, hideOverlap: true },
      axisLine: { lineStyle: { color: line } },
    },
    yAxis: {
      type: 'value',
      axisLabel: { color: text, formatter: (value: number) => format(value) },
      splitLine: { lineStyle: { color: line } },
    },
    series: series.map((s) => ({
      name: s.name,
      type: s.type ?? 'line',
      stack: s.stack,
      showSymbol: s.points.length < 48,
      connectNulls: false,
      data: s.points.map(([time, value]) => [time, value]),
      ...(s.type === 'bar' ? { barMaxWidth: 18 } : { smooth: false }),
    })),
  };
}
