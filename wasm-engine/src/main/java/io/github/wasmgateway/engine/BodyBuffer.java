package io.github.wasmgateway.engine;

/**
 * The body bytes a plugin can see in a body callback: the chunk just received, or
 * everything buffered so far when the plugin asked for buffering. The host owns the
 * storage; the engine copies out only the range the plugin reads.
 */
public interface BodyBuffer {

	int size();

	/** Copies {@code length} bytes from {@code start} into {@code target}. */
	void read(int start, byte[] target, int targetOffset, int length);

	/**
	 * Replaces {@code length} bytes at {@code start} with {@code data}: prepend with (0,
	 * 0), append with start at or past the end, replace the whole body with (0, size()).
	 */
	void replace(int start, int length, byte[] data);

}
