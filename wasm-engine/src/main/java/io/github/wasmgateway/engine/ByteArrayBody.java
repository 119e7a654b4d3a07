package io.github.wasmgateway.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link BodyBuffer} held in a byte array: callout bodies, configuration, tests.
 */
public final class ByteArrayBody implements BodyBuffer {

	private byte[] bytes;

	public ByteArrayBody(byte[] bytes) {
		this.bytes = bytes;
	}

	public static ByteArrayBody of(String text) {
		return new ByteArrayBody(text.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public int size() {
		return this.bytes.length;
	}

	@Override
	public void read(int start, byte[] target, int targetOffset, int length) {
		System.arraycopy(this.bytes, start, target, targetOffset, length);
	}

	@Override
	public void replace(int start, int length, byte[] data) {
		int from = Math.min(Math.max(start, 0), this.bytes.length);
		int to = Math.min(from + Math.max(length, 0), this.bytes.length);
		byte[] result = new byte[this.bytes.length - (to - from) + data.length];
		System.arraycopy(this.bytes, 0, result, 0, from);
		System.arraycopy(data, 0, result, from, data.length);
		System.arraycopy(this.bytes, to, result, from + data.length, this.bytes.length - to);
		this.bytes = result;
	}

	public byte[] bytes() {
		return Arrays.copyOf(this.bytes, this.bytes.length);
	}

	@Override
	public String toString() {
		return new String(this.bytes, StandardCharsets.UTF_8);
	}

}
