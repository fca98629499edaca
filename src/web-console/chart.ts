/// <reference lib="dom" />
// The channel's bitrate / segment-duration chart: one canvas, segments of the last minutes as bars (duration, left
// axis) and a line (bitrate from segment size / duration, right axis).

export interface ChartSegment {
  startMs: number;
  durationMs: number;
  size: number | null;
}

export function drawChart(
  canvas: HTMLCanvasElement,
  segments: readonly ChartSegment[],
  fragDuration: number,
  windowMs: number,
  nowMs: number,
): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 160;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  if (!g) return;
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  const left = 36;
  const right = 50;
  const top = 10;
  const bottom = 20;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const fromMs = nowMs - windowMs;
  const x = (ms: number) => left + ((ms - fromMs) / windowMs) * plotW;
  const maxDur = Math.max(fragDuration * 2, ...segments.map((s) => s.durationMs / 1000), 1);
  const kbps = segments.map((s) => (s.size !== null && s.durationMs > 0 ? (s.size * 8) / s.durationMs : 0));
  const maxKbps = Math.max(100, ...kbps) * 1.15;

  g.font = '11px system-ui, sans-serif';
  g.fillStyle = '#8a93a3';
  g.strokeStyle = '#2a3140';
  g.lineWidth = 1;
  for (let i = 0; i <= 4; i++) {
    const y = top + (plotH * i) / 4;
    g.beginPath();
    g.moveTo(left, y);
    g.lineTo(left + plotW, y);
    g.stroke();
    g.fillText(`${(maxDur * (1 - i / 4)).toFixed(1)}s`, 2, y + 4);
    g.fillText(`${Math.round(maxKbps * (1 - i / 4))}k`, left + plotW + 4, y + 4);
  }
  for (let m = 0; m <= windowMs / 60_000; m++) {
    const ms = nowMs - m * 60_000;
    g.fillText(m === 0 ? 'now' : `-${m}m`, x(ms) - 10, height - 4);
  }
  // FragDuration as a dashed reference line.
  const fragY = top + plotH * (1 - fragDuration / maxDur);
  g.setLineDash([4, 4]);
  g.strokeStyle = '#c9a227';
  g.beginPath();
  g.moveTo(left, fragY);
  g.lineTo(left + plotW, fragY);
  g.stroke();
  g.setLineDash([]);

  g.fillStyle = 'rgba(76, 139, 245, 0.55)';
  for (const s of segments) {
    if (s.startMs + s.durationMs < fromMs) continue;
    const x0 = Math.max(left, x(s.startMs));
    const x1 = Math.min(left + plotW, x(s.startMs + s.durationMs));
    const barH = (plotH * (s.durationMs / 1000)) / maxDur;
    g.fillRect(x0, top + plotH - barH, Math.max(1, x1 - x0 - 1), barH);
  }
  g.strokeStyle = '#3ecf8e';
  g.lineWidth = 2;
  g.beginPath();
  segments.forEach((s, i) => {
    const px = x(s.startMs + s.durationMs / 2);
    const py = top + plotH * (1 - kbps[i]! / maxKbps);
    if (i === 0) g.moveTo(px, py);
    else g.lineTo(px, py);
  });
  g.stroke();
}
