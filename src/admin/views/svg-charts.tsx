// Bar charts drawn on the server as inline SVG: no script, nothing fetched, readable without JS.
// Only <svg>, <rect>, <text>, <line> and <title>; colours come from console.css classes (.bar,
// .bar-danger, .bar-muted), never style="" (the CSP's style-src 'self' blocks those). Sizes are
// viewBox units, so the chart scales with its container. Values are counts: ticks are whole numbers.

export type Tone = 'normal' | 'danger' | 'muted';

export interface Bar {
  label: string;
  value: number;
  tone?: Tone;
  /** The bar's tooltip and text equivalent; `label: value` when absent. */
  title?: string;
}

export interface Series {
  key: string;
  label: string;
  tone?: Tone;
}

export interface Group {
  label: string;
  values: Record<string, number>;
}

const FONT = 11; // matches `.chart text` in console.css
const GAP = 8;

const round = (n: number) => Math.round(n * 10) / 10;
const toneClass = (tone: Tone | undefined) => (tone === 'danger' ? 'bar bar-danger' : tone === 'muted' ? 'bar bar-muted' : 'bar');
/** A rough width for laying out labels: CJK glyphs are about a font size wide, Latin ones ~0.6. */
export const textWidth = (text: string) => [...text].reduce((w, ch) => w + (ch.codePointAt(0)! >= 0x2e80 ? FONT : FONT * 0.6), 0);

/** A y axis from 0 to a round top with 1-2-5 steps, about `target` of them. */
export function niceTicks(max: number, target = 4): { top: number; ticks: number[] } {
  if (!(max > 0)) return { top: 1, ticks: [0, 1] };
  const rough = max / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power);
  const top = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return { top, ticks };
}

/** Every how many bands an x label fits; counted from the last band, so the newest is labelled. */
export function labelEvery(labels: readonly string[], band: number): number {
  const widest = Math.max(0, ...labels.map(textWidth));
  return Math.max(1, Math.ceil((widest + GAP) / band));
}

/** The plot area: its left and right edges, its baseline, and the value scale. */
interface Frame {
  left: number;
  right: number;
  bottom: number;
  ticks: number[];
  y: (value: number) => number;
}

/** `labels` along the x axis: the last one, centred on its band, may stick out; keep room for it. */
function frame(max: number, width: number, height: number, top: number, labels: readonly string[]): Frame {
  const scale = niceTicks(max);
  const left = Math.max(...scale.ticks.map((v) => textWidth(String(v)))) + GAP;
  const bottom = height - FONT - GAP * 2;
  const y = (value: number) => bottom - ((bottom - top) * value) / scale.top;
  const band = (width - left) / Math.max(1, labels.length);
  const right = width - Math.max(GAP, (Math.max(0, ...labels.map(textWidth)) - band) / 2 + GAP / 2);
  return { left, right, bottom, ticks: scale.ticks, y };
}

function Axes(props: { f: Frame }) {
  const { f } = props;
  return (
    <>
      {f.ticks.map((v) => (
        <>
          <line class={v === 0 ? 'axis' : 'grid-line'} x1={round(f.left)} x2={round(f.right)} y1={round(f.y(v))} y2={round(f.y(v))} stroke="currentColor" />
          <text class="tick" x={round(f.left - 4)} y={round(f.y(v) + FONT / 3)} text-anchor="end">
            {v}
          </text>
        </>
      ))}
    </>
  );
}

function XLabels(props: { f: Frame; labels: string[]; band: number }) {
  const { f, labels, band } = props;
  const every = labelEvery(labels, band);
  return (
    <>
      {labels.map((label, i) =>
        (labels.length - 1 - i) % every === 0 ? (
          <text class="x-label" x={round(f.left + band * (i + 0.5))} y={round(f.bottom + FONT + GAP / 2)} text-anchor="middle">
            {label}
          </text>
        ) : null,
      )}
    </>
  );
}

function BarRect(props: { f: Frame; x: number; width: number; value: number; tone: Tone | undefined; title: string; showValue: boolean }) {
  const { f, value } = props;
  const y = f.y(value);
  return (
    <>
      <rect class={toneClass(props.tone)} x={round(props.x)} y={round(y)} width={round(props.width)} height={round(f.bottom - y)}>
        <title>{props.title}</title>
      </rect>
      {props.showValue && (
        <text class={props.tone === 'danger' ? 'value value-danger' : 'value'} x={round(props.x + props.width / 2)} y={round(y - 3)} text-anchor="middle">
          {value}
        </text>
      )}
    </>
  );
}

/**
 * One bar per entry. `title` names the chart for assistive technology (aria-label); the figure
 * around it gives the caption and the data table. Values are printed over the bars when there
 * are few enough to read (`showValues`, default: up to 12 bars).
 */
export function BarChart(props: { title: string; bars: Bar[]; width?: number; height?: number; showValues?: boolean; id?: string }) {
  const width = props.width ?? 640;
  const height = props.height ?? 240;
  const labels = props.bars.map((b) => b.label);
  const f = frame(Math.max(0, ...props.bars.map((b) => b.value)), width, height, FONT + GAP, labels);
  const band = (f.right - f.left) / Math.max(1, props.bars.length);
  const showValues = props.showValues ?? props.bars.length <= 12;
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} id={props.id} class="bar-chart">
      <Axes f={f} />
      {props.bars.map((bar, i) => (
        <BarRect
          f={f}
          x={f.left + band * (i + 0.15)}
          width={band * 0.7}
          value={bar.value}
          tone={bar.tone}
          title={bar.title ?? `${bar.label}: ${bar.value}`}
          showValue={showValues}
        />
      ))}
      <XLabels f={f} labels={labels} band={band} />
    </svg>
  );
}

/**
 * Bars side by side within each group, one per series, with a legend on top. `describe` gives
 * each bar's title (default `group · series: value`).
 */
export function GroupedBarChart(props: {
  title: string;
  series: Series[];
  groups: Group[];
  describe?: (group: Group, series: Series, value: number) => string;
  width?: number;
  height?: number;
  id?: string;
}) {
  const width = props.width ?? 640;
  const height = props.height ?? 260;
  const values = props.groups.flatMap((g) => props.series.map((s) => g.values[s.key] ?? 0));
  const legendHeight = FONT + GAP * 2;
  const labels = props.groups.map((g) => g.label);
  const f = frame(Math.max(0, ...values), width, height, legendHeight + FONT + GAP, labels);
  const band = (f.right - f.left) / Math.max(1, props.groups.length);
  const barWidth = (band * 0.8) / Math.max(1, props.series.length);
  const describe = props.describe ?? ((g: Group, s: Series, v: number) => `${g.label} · ${s.label}: ${v}`);
  let legendX = f.left;
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title} id={props.id} class="bar-chart grouped">
      {props.series.map((s) => {
        const x = legendX;
        legendX += FONT + 4 + textWidth(s.label) + GAP * 2;
        return (
          <>
            <rect class={toneClass(s.tone)} x={round(x)} y={GAP / 2} width={FONT} height={FONT} />
            <text class="legend" x={round(x + FONT + 4)} y={GAP / 2 + FONT - 1}>
              {s.label}
            </text>
          </>
        );
      })}
      <Axes f={f} />
      {props.groups.map((g, i) =>
        props.series.map((s, j) => {
          const value = g.values[s.key] ?? 0;
          return (
            <BarRect
              f={f}
              x={f.left + band * (i + 0.1) + barWidth * j}
              width={barWidth * 0.9}
              value={value}
              tone={s.tone}
              title={describe(g, s, value)}
              showValue
            />
          );
        }),
      )}
      <XLabels f={f} labels={labels} band={band} />
    </svg>
  );
}
