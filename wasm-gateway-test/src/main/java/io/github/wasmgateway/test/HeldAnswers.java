package io.github.wasmgateway.test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Answers to a plugin's calls, run at once or, while held, kept until
 * {@link PluginTester#release()}.
 */
final class HeldAnswers {

	private final List<Runnable> held = new CopyOnWriteArrayList<>();

	private volatile boolean holding;

	void holding(boolean holding) {
		this.holding = holding;
	}

	/** Runs {@code answer} now, or keeps it while held. */
	void deliver(Runnable answer) {
		if (this.holding) {
			this.held.add(answer);
		}
		else {
			answer.run();
		}
	}

	int count() {
		return this.held.size();
	}

	/** Runs the kept answers, oldest first. */
	void release() {
		List<Runnable> pending = new ArrayList<>(this.held);
		this.held.clear();
		pending.forEach(Runnable::run);
	}

}
