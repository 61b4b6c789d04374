export interface Series {
  label: string;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** A horizontal bar chart of p50/p90/p99 per scenario, log-scaled milliseconds, as SVG. */
export function latencyChart(title: string, series: Series[]): string {
  const W = 900;
  const left = 190;
  const rowH = 54;
  const top = 60;
  const H = top + series.length * rowH + 50;
  const maxV = Math.max(10, ...series.map((s) => s.p99 || 0));
  const lo = 0.1;
  // room on the right for the value written after the longest bar
  const x = (v: number) => left + ((Math.log10(Math.max(lo, v)) - Math.log10(lo)) / (Math.log10(maxV * 1.2) - Math.log10(lo))) * (W - left - 110);
  const fmt = (v: number) => (v >= 100 ? String(Math.round(v)) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  const colors = { p50: '#4aa3ff', p90: '#f2c200', p99: '#e0533d' };
  const ticks = [0.1, 1, 10, 100, 1000, 10000, 100000].filter((t) => t <= maxV * 1.2);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="system-ui, sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="20" y="28" font-size="17" font-weight="700">${esc(title)}</text>`,
    `<text x="20" y="46" fill="#555">latency in ms (log scale): p50, p90, p99</text>`,
    ...ticks.map((t) => `<line x1="${x(t)}" y1="${top - 6}" x2="${x(t)}" y2="${H - 40}" stroke="#ddd"/><text x="${x(t)}" y="${H - 24}" text-anchor="middle" fill="#555">${t}</text>`),
  ];
  series.forEach((s, i) => {
    const y = top + i * rowH;
    parts.push(`<text x="${left - 10}" y="${y + 24}" text-anchor="end">${esc(s.label)}</text>`);
    (['p50', 'p90', 'p99'] as const).forEach((k, j) => {
      const v = s[k];
      if (!Number.isFinite(v)) return;
      parts.push(`<rect x="${left}" y="${y + 6 + j * 13}" width="${Math.max(1, x(v) - left)}" height="11" fill="${colors[k]}"/>`);
      parts.push(`<text x="${x(v) + 4}" y="${y + 16 + j * 13}" font-size="11" fill="#333">${k} ${fmt(v)}</text>`);
    });
  });
  parts.push('</svg>');
  return parts.join('\n');
}
