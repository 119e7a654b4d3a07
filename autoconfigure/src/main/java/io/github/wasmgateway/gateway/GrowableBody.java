package io.github.wasmgateway.gateway;

import io.github.wasmgateway.engine.BodyBuffer;
import java.util.Arrays;

/**
 * A body the gateway buffers because the plugin asked for it (StopIterationAndBuffer).
 */
final class GrowableBody implements BodyBuffer {

	private byte[] bytes = new byte[0];

	private int size;

	void append(byte[] data, int offset, int length) {
		if (this.size + length > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.size + length, this.bytes.length * 2));
		}
		System.arraycopy(data, offset, this.bytes, this.size, length);
		this.size += length;
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public void read(int start, byte[] target, int targetOffset, int length) {
		System.arraycopy(this.bytes, start, target, targetOffset, length);
	}

	@Override
	public void replace(int start, int length, byte[] data) {
		int from = Math.min(Math.max(start, 0), this.size);
		int to = Math.min(from + Math.max(length, 0), this.size);
		byte[] result = new byte[this.size - (to - from) + data.length];
		System.arraycopy(this.bytes, 0, result, 0, from);
		System.arraycopy(data, 0, result, from, data.length);
		System.arraycopy(this.bytes, to, result, from + data.length, this.size - to);
		this.bytes = result;
		this.size = result.length;
	}

	byte[] toByteArray() {
		return Arrays.copyOf(this.bytes, this.size);
	}

}
