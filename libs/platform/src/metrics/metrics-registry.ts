/**
 * The service's metrics in the Prometheus text format (version 0.0.4), without a client library: a service
 * registers gauges and counters with a function that reads the current value, and `GET /metrics` renders them all.
 * Values are read at scrape time, so nothing is kept up to date between scrapes.
 */
import { Injectable } from '@nestjs/common';

export type MetricType = 'gauge' | 'counter';

export interface MetricDefinition {
  /** `smpki_<area>_<what>[_unit]`; counters end in `_total`. */
  name: string;
  help: string;
  /** Reads the current value (may query the database). */
  read: () => number | Promise<number>;
}

interface RegisteredMetric extends MetricDefinition {
  type: MetricType;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A value as the text format writes it (`+Inf`, `NaN`, or the number). */
function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

/** HELP text escapes backslash and newline (the format's only escapes there). */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

@Injectable()
export class MetricsRegistry {
  private readonly metrics = new Map<string, RegisteredMetric>();

  gauge(definition: MetricDefinition): void {
    this.register({ ...definition, type: 'gauge' });
  }

  counter(definition: MetricDefinition): void {
    if (!definition.name.endsWith('_total')) throw new Error(`counter ${definition.name} must end in _total`);
    this.register({ ...definition, type: 'counter' });
  }

  /** The exposition text; a metric whose read fails is left out (the scrape still answers) and named in a comment. */
  async render(): Promise<string> {
    const lines: string[] = [];
    for (const metric of this.metrics.values()) {
      let value: number;
      try {
        value = await metric.read();
      } catch {
        lines.push(`# ${metric.name} could not be read`);
        continue;
      }
      lines.push(`# HELP ${metric.name} ${escapeHelp(metric.help)}`, `# TYPE ${metric.name} ${metric.type}`, `${metric.name} ${formatValue(value)}`);
    }
    return lines.length > 0 ? `${lines.join('\n')}\n` : '';
  }

  private register(metric: RegisteredMetric): void {
    if (!METRIC_NAME.test(metric.name)) throw new Error(`not a Prometheus metric name: ${metric.name}`);
    if (this.metrics.has(metric.name)) throw new Error(`metric ${metric.name} is registered already`);
    this.metrics.set(metric.name, metric);
  }
}
