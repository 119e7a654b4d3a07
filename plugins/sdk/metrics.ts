// Plugin metrics: counters, gauges and histograms, defined on first use.
import { proxy_define_metric, proxy_get_metric, proxy_increment_metric, proxy_record_metric } from "./abi";
import { RETURN_SLOTS } from "./memory";
import { MetricType, Status } from "./types";

export class Metric {
  private id: u32 = 0;

  constructor(public readonly type: MetricType, public readonly name: string) {}

  /** The host's id, defining the metric on first use (0 when the host refused). */
  metricId(): u32 {
    if (this.id == 0) {
      const bytes = String.UTF8.encode(this.name);
      store<u32>(RETURN_SLOTS, 0);
      if (proxy_define_metric(<u32>this.type, changetype<usize>(bytes), <usize>bytes.byteLength, RETURN_SLOTS) == Status.Ok) {
        this.id = load<u32>(RETURN_SLOTS);
      }
    }
    return this.id;
  }

  /** The current value (histograms: the sample count), 0 when unknown. */
  value(): i64 {
    const id = this.metricId();
    store<u64>(RETURN_SLOTS, 0);
    if (id == 0 || proxy_get_metric(id, RETURN_SLOTS) != Status.Ok) return 0;
    return load<i64>(RETURN_SLOTS);
  }
}

export class Counter extends Metric {
  constructor(name: string) {
    super(MetricType.Counter, name);
  }

  increment(offset: i64 = 1): void {
    const id = this.metricId();
    if (id != 0) proxy_increment_metric(id, offset);
  }
}

export class Gauge extends Metric {
  constructor(name: string) {
    super(MetricType.Gauge, name);
  }

  set(value: i64): void {
    const id = this.metricId();
    if (id != 0) proxy_record_metric(id, <u64>value);
  }

  add(offset: i64): void {
    const id = this.metricId();
    if (id != 0) proxy_increment_metric(id, offset);
  }
}

export class Histogram extends Metric {
  constructor(name: string) {
    super(MetricType.Histogram, name);
  }

  record(value: u64): void {
    const id = this.metricId();
    if (id != 0) proxy_record_metric(id, value);
  }
}
