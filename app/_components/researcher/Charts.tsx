// SVG charts for the campaign dashboard, in the house style of classroom/LineChart.tsx: a caption, an
// svg with role="img", and the numbers in a table beside it (for screen readers and for reading values).
const AXIS = "#2c3846";
const TEXT = "#c5d1dc";

/** Bars for counts per bin; labels under each bar. */
export function BarChart({ title, labels, values, color = "#2ec4b6", height = 170, testId }: { title: string; labels: string[]; values: number[]; color?: string; height?: number; testId?: string }) {
  const width = 640;
  const pad = { l: 40, r: 10, t: 10, b: 28 };
  const max = Math.max(1, ...values);
  const bw = (width - pad.l - pad.r) / Math.max(1, values.length);
  const y = (v: number) => pad.t + (1 - v / max) * (height - pad.t - pad.b);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: bar chart; the numbers are in the table below`} preserveAspectRatio="none">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.l} x2={width - pad.r} y1={y(max * f)} y2={y(max * f)} stroke={AXIS} />
            <text x={pad.l - 6} y={y(max * f) + 4} textAnchor="end" fontSize="11" fill={TEXT}>{Math.round(max * f)}</text>
          </g>
        ))}
        {values.map((v, i) => (
          <g key={i}>
            <rect x={pad.l + i * bw + 2} y={y(v)} width={Math.max(1, bw - 4)} height={height - pad.b - y(v)} fill={color} />
            <text x={pad.l + i * bw + bw / 2} y={height - 10} textAnchor="middle" fontSize="10" fill={TEXT}>{labels[i]}</text>
          </g>
        ))}
      </svg>
      <details>
        <summary>Numbers</summary>
        <table>
          <thead><tr><th scope="col">Bin</th><th scope="col">Count</th></tr></thead>
          <tbody>{values.map((v, i) => <tr key={i}><td>{labels[i]}</td><td>{v}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

/** Points in the unit square (e.g. sensitivity against specificity), each labelled in the table. */
export function ScatterPlot({ title, xLabel, yLabel, points, testId }: { title: string; xLabel: string; yLabel: string; points: { label: string; x: number; y: number }[]; testId?: string }) {
  const size = 320;
  const pad = 36;
  const sx = (v: number) => pad + v * (size - 2 * pad);
  const sy = (v: number) => size - pad - v * (size - 2 * pad);
  return (
    <figure className="chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${size} ${size}`} role="img" aria-label={`${title}: scatter plot of ${yLabel} against ${xLabel}; the numbers are in the table below`} style={{ maxWidth: 360 }}>
        <rect x={pad} y={pad} width={size - 2 * pad} height={size - 2 * pad} fill="none" stroke={AXIS} />
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <text x={sx(f)} y={size - pad + 14} textAnchor="middle" fontSize="10" fill={TEXT}>{f}</text>
            <text x={pad - 6} y={sy(f) + 4} textAnchor="end" fontSize="10" fill={TEXT}>{f}</text>
          </g>
        ))}
        <text x={size / 2} y={size - 4} textAnchor="middle" fontSize="11" fill={TEXT}>{xLabel}</text>
        <text x={10} y={size / 2} textAnchor="middle" fontSize="11" fill={TEXT} transform={`rotate(-90 10 ${size / 2})`}>{yLabel}</text>
        {points.map((p) => <circle key={p.label} cx={sx(p.x)} cy={sy(p.y)} r="4" fill="#ffbf00" fillOpacity="0.8"><title>{`${p.label}: ${p.x.toFixed(2)}, ${p.y.toFixed(2)}`}</title></circle>)}
      </svg>
      <details>
        <summary>Numbers</summary>
        <table>
          <thead><tr><th scope="col">Player</th><th scope="col">{xLabel}</th><th scope="col">{yLabel}</th></tr></thead>
          <tbody>{points.map((p) => <tr key={p.label}><td>{p.label}</td><td>{p.x.toFixed(3)}</td><td>{p.y.toFixed(3)}</td></tr>)}</tbody>
        </table>
      </details>
    </figure>
  );
}

/** Counts of values in [0, 1] per tenth. */
export function tenths(values: number[]): { labels: string[]; counts: number[] } {
  const counts = new Array<number>(10).fill(0);
  for (const v of values) counts[Math.min(9, Math.max(0, Math.floor(v * 10)))]! += 1;
  return { labels: counts.map((_, i) => `${(i / 10).toFixed(1)}`), counts };
}
