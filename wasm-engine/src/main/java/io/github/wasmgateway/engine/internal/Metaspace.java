package io.github.wasmgateway.engine.internal;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The metaspace of one class loader, as HotSpot accounts it: the {@code VM.metaspace}
 * diagnostic command ({@code jcmd PID VM.metaspace show-loaders show-classes}) through
 * the platform MBean server, which lists every class loader with its classes and the
 * metaspace committed for it. JFR's {@code jdk.ClassLoaderStatistics} has the same
 * figures but names a loader only by its type, and every plugin's loader is of the same
 * type; the command lists the classes, and a plugin's compiled classes have names of
 * their own.
 */
public final class Metaspace {

	private static final String[] ARGUMENTS = { "show-loaders", "show-classes", "scale=1" };

	private static final Pattern LOADER = Pattern.compile("^\\s*\\d+: CLD ");

	private static final Pattern COMMITTED = Pattern
		.compile("^\\s*(Non-Class|Class):.*?(\\d+) bytes \\(\\s*\\d+%\\) committed");

	/**
	 * How long one report serves every plugin that asks: it lists every class of the JVM
	 * (about 1.4 MB in the demo gateway), and the endpoint and the gauges ask for each
	 * plugin in turn.
	 */
	private static final long REPORT_REUSE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private static String report;

	private static long reportNanos;

	private Metaspace() {
	}

	/**
	 * Bytes of metaspace committed for the class loader that defined the classes whose
	 * names start with {@code classPrefix} (its own loader, which holds nothing else), or
	 * -1 when the JVM does not say (not HotSpot, no such loader). When the same binary
	 * was compiled more than once (a reload of an unchanged binary whose old loader is
	 * not collected yet), the command lists the newest loader first, and that one is
	 * taken. A report up to {@link #REPORT_REUSE_NANOS} old is read again when it lists
	 * the classes; one that does not (taken before they were defined) is taken anew.
	 */
	public static long committedBytes(String classPrefix) {
		String recent = recentReport();
		long committed = (recent != null) ? committedBytes(recent, classPrefix) : -1;
		if (committed >= 0) {
			return committed;
		}
		// none recent, or one from before this plugin's classes were defined
		String fresh = newReport();
		return (fresh != null) ? committedBytes(fresh, classPrefix) : -1;
	}

	private static synchronized String recentReport() {
		return (report != null && System.nanoTime() - reportNanos < REPORT_REUSE_NANOS) ? report : null;
	}

	private static synchronized String newReport() {
		try {
			report = (String) ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmMetaspace",
						new Object[] { ARGUMENTS }, new String[] { String[].class.getName() });
			reportNanos = System.nanoTime();
			return report;
		}
		catch (JMException | RuntimeException ex) {
			return null;
		}
	}

	static long committedBytes(String report, String classPrefix) {
		Pattern ourClass = Pattern.compile("^\\s*\\d+:\\s+(s\\s+)?" + Pattern.quote(classPrefix));
		boolean ours = false;
		long committed = 0;
		for (String line : report.split("\n")) {
			if (LOADER.matcher(line).find()) {
				if (ours) {
					return committed;
				}
				committed = 0;
			}
			else if (ourClass.matcher(line).find()) {
				ours = true;
			}
			else {
				Matcher figure = COMMITTED.matcher(line);
				if (figure.find()) {
					committed += Long.parseLong(figure.group(2));
				}
			}
		}
		return ours ? committed : -1;
	}

}
