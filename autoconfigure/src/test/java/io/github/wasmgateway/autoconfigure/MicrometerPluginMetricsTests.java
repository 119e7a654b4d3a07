package io.github.wasmgateway.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.github.wasmgateway.engine.host.MetricsSink.MetricType;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Plugin-defined metrics as meters: each ABI type as its Micrometer type, names with
 * Envoy's tag extraction, and meters dropped when no plugin version defining them serves.
 */
class MicrometerPluginMetricsTests {

	final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	MicrometerPluginMetrics metrics(List<PluginMetricNames.Rule> rules) {
		return new MicrometerPluginMetrics(this.registry, new PluginMetricNames(rules, true));
	}

	@Test
	void counterNamedTheGoSdkWayBecomesATaggedCounter() {
		MicrometerPluginMetrics metrics = metrics(List.of());
		int id = metrics.define("go-metrics", MetricType.COUNTER,
				"custom_header_value_counts_value=foo_reporter=wasmgosdk");
		assertThat(metrics.increment(id, 2)).isTrue();
		assertThat(metrics.get(id)).isEqualTo(2);
		assertThat(this.registry.get("custom_header_value_counts")
			.tags("value", "foo", "reporter", "wasmgosdk", "plugin", "go-metrics")
			.counter()
			.count()).isEqualTo(2);
	}

	@Test
	void gaugeKeepsItsTagsAndTheValueLastSet() {
		MicrometerPluginMetrics metrics = metrics(List.of());
		int id = metrics.define("p", MetricType.GAUGE, "active_sessions_tenant=acme_corp");
		metrics.record(id, 5);
		metrics.increment(id, -2);
		assertThat(this.registry.get("active_sessions").tags("tenant", "acme_corp", "plugin", "p").gauge().value())
			.isEqualTo(3);
	}

	@Test
	void histogramBecomesADistributionSummaryWithItsTags() {
		MicrometerPluginMetrics metrics = metrics(List.of());
		int id = metrics.define("p", MetricType.HISTOGRAM, "upstream_latency_ms_cluster=auth");
		metrics.record(id, 7);
		metrics.record(id, 9);
		assertThat(metrics.increment(id, 1)).isFalse();
		DistributionSummary summary = this.registry.get("upstream_latency_ms")
			.tags("cluster", "auth", "plugin", "p")
			.summary();
		assertThat(summary.count()).isEqualTo(2);
		assertThat(summary.totalAmount()).isEqualTo(16);
	}

	@Test
	void envoysDefaultRulesTakeTheResponseCodeAndItsClass() {
		MicrometerPluginMetrics metrics = metrics(List.of());
		metrics.define("p", MetricType.COUNTER, "auth_rq_503");
		metrics.define("p", MetricType.COUNTER, "auth_rq_5xx");
		assertThat(this.registry.get("auth_rq").tags("envoy.response_code", "503").counter()).isNotNull();
		// as Envoy's upstream_rq_5xx becomes
		// upstream_rq_xx{envoy_response_code_class="5"}
		assertThat(this.registry.get("auth_rq_xx").tags("envoy.response_code_class", "5").counter()).isNotNull();
	}

	@Test
	void configuredRulesRunFirstWithEnvoysGroupSemantics() {
		// the Go SDK example's stats_tags: a tag named myreporter, not reporter
		MicrometerPluginMetrics metrics = metrics(
				List.of(PluginMetricNames.Rule.of("myreporter", "(_reporter=([a-zA-Z]+))")));
		metrics.define("p", MetricType.COUNTER, "custom_header_value_counts_value=foo_reporter=wasmgosdk");
		assertThat(this.registry.get("custom_header_value_counts").counter().getId().getTags())
			.containsExactlyInAnyOrder(Tag.of("myreporter", "wasmgosdk"), Tag.of("value", "foo"),
					Tag.of("plugin", "p"));
	}

	@Test
	void aNameWithoutTagsStaysAsItIs() {
		MicrometerPluginMetrics metrics = metrics(List.of());
		metrics.define("p", MetricType.COUNTER, "requests_total");
		assertThat(this.registry.get("requests_total").counter().getId().getTags())
			.containsExactly(Tag.of("plugin", "p"));
	}

	@Test
	void aRuleWithoutAGroupIsRefusedWithItsTagName() {
		assertThatIllegalArgumentException().isThrownBy(() -> PluginMetricNames.Rule.of("reporter", "_reporter=\\w+"))
			.withMessageContaining("metric tag 'reporter'")
			.withMessageContaining("has no group");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aMetricTheRegistryRefusesStillCountsForItsPluginWithAWarning(CapturedOutput output) {
		MicrometerPluginMetrics metrics = metrics(List.of());
		int counter = metrics.define("a", MetricType.COUNTER, "sessions");
		// the same meter name and tags, as a gauge: Micrometer refuses a second type
		int gauge = metrics.define("a", MetricType.GAUGE, "sessions");

		assertThat(gauge).isPositive().isNotEqualTo(counter);
		metrics.record(gauge, 4);
		metrics.increment(counter, 1);
		assertThat(metrics.get(gauge)).isEqualTo(4);
		assertThat(metrics.get(counter)).isEqualTo(1);
		assertThat(this.registry.get("sessions").counter().count()).isEqualTo(1);
		assertThat(output).contains("plugin 'a': its metric 'sessions' is not exported as meter 'sessions'")
			.contains("the plugin still uses it");

		metrics.retain(gauge);
		metrics.release(gauge);
		assertThat(this.registry.get("sessions").counter().count()).as("the exported one stays").isEqualTo(1);
	}

	@Test
	void meterGoesWhenTheLastVersionDefiningItIsReleased() {
		MicrometerPluginMetrics metrics = metrics(List.of());
		int id = metrics.define("p", MetricType.COUNTER, "hits_kind=a");
		metrics.retain(id); // the version serving now
		assertThat(metrics.define("p", MetricType.COUNTER, "hits_kind=a")).isEqualTo(id);
		metrics.retain(id); // the version a reload brought, defining it again

		metrics.release(id); // the old version retires
		assertThat(this.registry.find("hits").tags("kind", "a").counter()).isNotNull();

		metrics.release(id); // the plugin is removed
		assertThat(this.registry.find("hits").counter()).isNull();

		// defined again later: a fresh meter under a fresh id
		int again = metrics.define("p", MetricType.COUNTER, "hits_kind=a");
		assertThat(again).isNotEqualTo(id);
		metrics.increment(again, 1);
		assertThat(this.registry.get("hits").tags("kind", "a").counter().count()).isEqualTo(1);
	}

}
