// A small SVG line chart with its numbers in a table beside it (for screen readers and for reading values).
// Series colours are told apart by their labels too, never by colour alone.
export type Series = { label: string; values: (number | null)[] };

const COLORS = ["#ffbf00", "#2ec4b6", "#ff8fab", "#9ad16b", "#b5a8ff", "#ff9f43", "#5fd3f3", "#f368e0"];

export function LineChart({
  title,
  xLabels,
  series,
  yMax,
  format = (v) => String(Math.round(v)),
  height = 180,
}: {
  title: string;
  xLabels: string[];
  series: Series[];
  yMax?: number;
  format?: (v: number) => string;
  height?: number;
}) {
  const width = 640;
  const pad = { l: 44, r: 12, t: 10, b: 26 };
  const max = yMax ?? Math.max(1, ...series.flatMap((s) => s.values.filter((v): v is number => v !== null)));
  const x = (i: number) => pad.l + (xLabels.length <= 1 ? 0 : (i * (width - pad.l - pad.r)) / (xLabels.length - 1));
  const y = (v: number) => pad.t + (1 - v / max) * (height - pad.t - pad.b);
  const tickEvery = Math.max(1, Math.ceil(xLabels.length / 6));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: chart; the numbers are in the table below`} preserveAspectRatio="none">
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={pad.l} x2={width - pad.r} y1={y(max * f)} y2={y(max * f)} stroke="#2c3846" />
            <text x={pad.l - 6} y={y(max * f) + 4} textAnchor="end" fontSize="11" fill="#c5d1dc">
              {format(max * f)}
            </text>
          </g>
        ))}
        {xLabels.map((l, i) =>
          i % tickEvery === 0 || i === xLabels.length - 1 ? (
            <text key={i} x={x(i)} y={height - 8} textAnchor={i === 0 ? "start" : i === xLabels.length - 1 ? "end" : "middle"} fontSize="11" fill="#c5d1dc">
              {l}
            </text>
          ) : null,
        )}
        {series.map((s, k) => {
          const color = COLORS[k % COLORS.length]!;
          const pts = s.values.map((v, i) => (v === null ? null : `${x(i)},${y(v)}`));
          const segments: string[][] = [[]];
          for (const p of pts) p === null ? segments.push([]) : segments[segments.length - 1]!.push(p);
          return (
            <g key={s.label}>
              {segments.filter((seg) => seg.length > 1).map((seg, j) => (
                <polyline key={j} points={seg.join(" ")} fill="none" stroke={color} strokeWidth="2.5" />
              ))}
              {s.values.map((v, i) => (v === null ? null : <circle key={i} cx={x(i)} cy={y(v)} r="3.5" fill={color} />))}
            </g>
          );
        })}
      </svg>
      <ul className="legend">
        {series.map((s, k) => (
          <li key={s.label}>
            <span className="swatch" style={{ background: COLORS[k % COLORS.length] }} aria-hidden="true" />
            {s.label}
          </li>
        ))}
      </ul>
      <details>
        <summary>Show the numbers</summary>
        <div className="table-scroll">
          <table>
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                {series.map((s) => (
                  <th key={s.label} scope="col">{s.label}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {xLabels.map((l, i) =>
                series.some((s) => s.values[i] !== null && s.values[i] !== 0) ? (
                  <tr key={i}>
                    <th scope="row">{l}</th>
                    {series.map((s) => (
                      <td key={s.label}>{s.values[i] === null ? "–" : format(s.values[i]!)}</td>
                    ))}
                  </tr>
                ) : null,
              )}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
