// The Prometheus text exposition format (version 0.0.4), written here because prom-client is not
// a dependency: counters and histograms kept in memory, gauges read when scraped. Each family
// renders `# HELP`, `# TYPE` and one line per label set; label values are escaped (backslash,
// double quote, newline) and HELP text escapes backslash and newline, as the format requires.
// A registry belongs to one app instance (never module-global), so tests do not share counts.

export type Labels = Record<string, string>;

/** The exposition format's content type, for the /metrics answer. */
export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A number as the format writes it: +Inf, -Inf, NaN, or the shortest decimal. */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function renderLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}`;
}

/** One key per label set whatever the order the caller wrote them in. */
function keyOf(labelNames: readonly string[], labels: Labels): string {
  return JSON.stringify(labelNames.map((n) => labels[n] ?? ''));
}

function checkLabels(family: string, labelNames: readonly string[], labels: Labels): Labels {
  const given = Object.keys(labels);
  if (given.length !== labelNames.length || !labelNames.every((n) => n in labels))
    throw new Error(`${family}: labels must be exactly ${labelNames.join(', ') || '(none)'}, got ${given.join(', ') || '(none)'}`);
  return Object.fromEntries(labelNames.map((n) => [n, labels[n]!]));
}

interface Family {
  readonly name: string;
  render(): Promise<string[]> | string[];
}

function header(name: string, help: string, type: string): string[] {
  return [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
}

export class Counter {
  readonly #values = new Map<string, { labels: Labels; value: number }>();
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  constructor(name: string, help: string, labelNames: readonly string[]) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
  }
  inc(labels: Labels = {}, by = 1): void {
    if (!(by >= 0)) throw new Error(`${this.name}: a counter only goes up`);
    const checked = checkLabels(this.name, this.labelNames, labels);
    const key = keyOf(this.labelNames, checked);
    const entry = this.#values.get(key);
    if (entry) entry.value += by;
    else this.#values.set(key, { labels: checked, value: by });
  }
  /** The count for one label set (0 when never counted). */
  get(labels: Labels = {}): number {
    return this.#values.get(keyOf(this.labelNames, labels))?.value ?? 0;
  }
  render(): string[] {
    return [
      ...header(this.name, this.help, 'counter'),
      ...[...this.#values.values()].map((e) => `${this.name}${renderLabels(e.labels)} ${formatValue(e.value)}`),
    ];
  }
}

export class Histogram {
  readonly #values = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Upper bounds, ascending; +Inf is implied. */
  readonly buckets: readonly number[];
  constructor(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]) {
    if (labelNames.includes('le')) throw new Error(`${name}: "le" is the bucket label`);
    for (let i = 1; i < buckets.length; i++) if (!(buckets[i]! > buckets[i - 1]!)) throw new Error(`${name}: buckets must ascend`);
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.buckets = buckets.filter((b) => b !== Infinity);
  }
  observe(labels: Labels, value: number): void {
    const checked = checkLabels(this.name, this.labelNames, labels);
    const key = keyOf(this.labelNames, checked);
    let entry = this.#values.get(key);
    if (!entry) this.#values.set(key, (entry = { labels: checked, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    // Buckets are cumulative in the format; each holds the observations at or below its bound.
    this.buckets.forEach((bound, i) => {
      if (value <= bound) entry.counts[i]!++;
    });
    entry.sum += value;
    entry.count++;
  }
  render(): string[] {
    const lines = header(this.name, this.help, 'histogram');
    for (const e of this.#values.values()) {
      this.buckets.forEach((bound, i) => lines.push(`${this.name}_bucket${renderLabels({ ...e.labels, le: formatValue(bound) })} ${e.counts[i]}`));
      lines.push(`${this.name}_bucket${renderLabels({ ...e.labels, le: '+Inf' })} ${e.count}`);
      lines.push(`${this.name}_sum${renderLabels(e.labels)} ${formatValue(e.sum)}`);
      lines.push(`${this.name}_count${renderLabels(e.labels)} ${e.count}`);
    }
    return lines;
  }
}

export type GaugeReader = () => Promise<Array<{ labels: Labels; value: number }>> | Array<{ labels: Labels; value: number }>;

/** A gauge read at scrape time: `read` returns every label set's current value. */
export class CollectedGauge {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly #read: GaugeReader;
  constructor(name: string, help: string, labelNames: readonly string[], read: GaugeReader) {
    this.name = name;
    this.help = help;
    this.labelNames = labelNames;
    this.#read = read;
  }
  async render(): Promise<string[]> {
    const samples = await this.#read();
    return [
      ...header(this.name, this.help, 'gauge'),
      ...samples.map((s) => `${this.name}${renderLabels(checkLabels(this.name, this.labelNames, s.labels))} ${formatValue(s.value)}`),
    ];
  }
}

export class Registry {
  readonly #families = new Map<string, Family>();

  #add<T extends Family & { labelNames: readonly string[] }>(family: T): T {
    if (!NAME.test(family.name)) throw new Error(`invalid metric name: ${family.name}`);
    for (const l of family.labelNames) if (!LABEL_NAME.test(l) || l.startsWith('__')) throw new Error(`${family.name}: invalid label name ${l}`);
    if (this.#families.has(family.name)) throw new Error(`metric registered twice: ${family.name}`);
    this.#families.set(family.name, family);
    return family;
  }
  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    return this.#add(new Counter(name, help, labelNames));
  }
  histogram(name: string, help: string, labelNames: readonly string[], buckets: readonly number[]): Histogram {
    return this.#add(new Histogram(name, help, labelNames, buckets));
  }
  gauge(name: string, help: string, labelNames: readonly string[], read: GaugeReader): CollectedGauge {
    return this.#add(new CollectedGauge(name, help, labelNames, read));
  }
  /** Every family, in the order registered, ending with a newline as the format requires. */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const family of this.#families.values()) lines.push(...(await family.render()));
    return `${lines.join('\n')}\n`;
  }
}
