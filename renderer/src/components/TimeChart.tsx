import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { Column, Mark } from '../views/plan-charts-data.ts';
import './charts.css';

export interface ChartSeries {
  label: string;
  values: Column;
  /** A CSS variable of the theme: --accent, --bad, --warn… */
  color: string;
  kind: 'bars' | 'line' | 'points';
}

export interface TimeChartProps {
  title: string;
  x: number[];
  series: ChartSeries[];
  /** How a value of this chart reads: bytes, seconds. */
  format: (value: number) => string;
  marks: Mark[];
  /** Charts with the same key move their cursors together. */
  syncKey: string;
  height?: number;
  /** The steps the value axis may use (bytes: 1, 2, 5 × powers of 1024), uPlot's decimal ones if absent. */
  steps?: number[] | undefined;
}

const themeColor = (name: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/** Follows the system's light or dark theme: a change draws the charts again in its colours. */
function useColorScheme(): string {
  const [scheme, setScheme] = useState(() => (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light'));
  useEffect(() => {
    const query = matchMedia('(prefers-color-scheme: dark)');
    const follow = () => setScheme(query.matches ? 'dark' : 'light');
    query.addEventListener('change', follow);
    return () => query.removeEventListener('change', follow);
  }, []);
  return scheme;
}

/** Failed and skipped runs: a dashed line at their time, across the plot. */
function marksPlugin(marks: Mark[]): uPlot.Plugin {
  return {
    hooks: {
      draw: (chart) => {
        const { ctx, bbox } = chart;
        ctx.save();
        ctx.lineWidth = Math.max(1, devicePixelRatio);
        ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
        for (const mark of marks) {
          const left = chart.valToPos(mark.at, 'x', true);
          if (left < bbox.left || left > bbox.left + bbox.width) continue;
          ctx.strokeStyle = themeColor(mark.status === 'failure' ? '--bad' : '--warn');
          ctx.beginPath();
          ctx.moveTo(left, bbox.top);
          ctx.lineTo(left, bbox.top + bbox.height);
          ctx.stroke();
        }
        ctx.restore();
      },
    },
  };
}

/** One uPlot time chart, sized to its container and drawn in the page's theme. */
export function TimeChart({ title, x, series, format, marks, syncKey, height = 200, steps }: TimeChartProps) {
  const holder = useRef<HTMLDivElement>(null);
  const scheme = useColorScheme();

  useEffect(() => {
    const element = holder.current;
    if (!element) return;
    const text = themeColor('--muted');
    const grid = themeColor('--line');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const bars = uPlot.paths.bars?.({ size: [0.6, 24] });
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth),
      height,
      cursor: { sync: { key: syncKey } },
      legend: { live: true },
      // Room at both ends, so the first and last bars are drawn whole.
      scales: {
        x: { time: true, range: (_chart, min, max) => [min - ((max - min) * 0.03 || 3600), max + ((max - min) * 0.03 || 3600)] },
        y: { range: (_chart, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1) * 1.1] },
      },
      axes: [{ ...axis }, { ...axis, size: 80, values: (_chart, ticks) => ticks.map((tick) => format(tick)), ...(steps ? { incrs: steps } : {}) }],
      series: [
        {
          label: 'Time',
          value: (_chart, value) => (value === null ? '—' : new Date(value * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })),
        },
        ...series.map((one): uPlot.Series => {
          const color = themeColor(one.color);
          const value = (_chart: uPlot, shown: number | null) => (shown === null ? '—' : format(shown));
          if (one.kind === 'bars') return { label: one.label, stroke: color, fill: `${color}99`, paths: bars, points: { show: false }, value };
          if (one.kind === 'points')
            return { label: one.label, stroke: color, fill: color, paths: () => null, points: { show: true, size: 9, stroke: color, fill: color }, value };
          return { label: one.label, stroke: color, width: 2, spanGaps: true, points: { show: true, size: 5 }, value };
        }),
      ],
      plugins: [marksPlugin(marks)],
    };
    const chart = new uPlot(options, [x, ...series.map((one) => one.values)] as uPlot.AlignedData, element);
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [x, series, format, marks, syncKey, height, steps, scheme]);

  return (
    <figure className="time-chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <div ref={holder} className="time-chart-plot" />
    </figure>
  );
}
