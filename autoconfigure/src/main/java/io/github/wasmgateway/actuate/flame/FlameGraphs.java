package io.github.wasmgateway.actuate.flame;

import io.github.wasmgateway.engine.CompiledPlugin;
import io.github.wasmgateway.engine.PluginProfiler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import one.convert.Arguments;
import one.convert.FlameGraph;

/**
 * Records a plugin's flame graph ({@link PluginProfiler}) at most once per plugin at a
 * time, and renders it: collapsed stacks, or async-profiler's HTML flame graph.
 */
public final class FlameGraphs {

	/** The longest recording one request may ask for, in seconds. */
	public static final int MAX_SECONDS = 60;

	private final Set<String> recording = ConcurrentHashMap.newKeySet();

	/**
	 * Samples {@code plugin} for {@code seconds}; null when a recording of it is under
	 * way already.
	 */
	public Map<String, Long> record(String name, CompiledPlugin plugin, int seconds) throws InterruptedException {
		if (!this.recording.add(name)) {
			return null;
		}
		try {
			return PluginProfiler.record(plugin, Duration.ofSeconds(seconds));
		}
		finally {
			this.recording.remove(name);
		}
	}

	/** One {@code outer;inner;leaf count} line per stack. */
	public static String collapsed(Map<String, Long> stacks) {
		StringBuilder text = new StringBuilder();
		stacks.forEach((stack, count) -> text.append(stack).append(' ').append(count).append('\n'));
		return text.toString();
	}

	/** A self-contained HTML page (its script and styles inline) drawing the graph. */
	public static String html(String title, Map<String, Long> stacks) {
		FlameGraph graph = new FlameGraph(new Arguments("--title", escape(title)));
		try {
			graph.parseCollapsed(new StringReader(collapsed(stacks)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		graph.dump(new PrintStream(out, true, StandardCharsets.UTF_8));
		return out.toString(StandardCharsets.UTF_8);
	}

	/** The title goes into the page as it is: plugin names are configuration. */
	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
	}

}
