package io.github.wasmgateway.engine;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link BodyBuffer} held in a growable byte array: bodies a host buffers because the
 * plugin asked for it, callout bodies, tests.
 */
public final class ByteArrayBody implements BodyBuffer {

	private byte[] bytes;

	private int size;

	public ByteArrayBody(byte[] bytes) {
		this.bytes = bytes;
		this.size = bytes.length;
	}

	/** An empty body to {@link #append} to. */
	public ByteArrayBody() {
		this(new byte[0]);
	}

	public static ByteArrayBody of(String text) {
		return new ByteArrayBody(text.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public int size() {
		return this.size;
	}

	@Override
	public void read(int start, byte[] target, int targetOffset, int length) {
		System.arraycopy(this.bytes, start, target, targetOffset, length);
	}

	/** Adds bytes at the end (a host collecting chunks). */
	public void append(byte[] data, int offset, int length) {
		if (this.size + length > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.size + length, this.bytes.length * 2));
		}
		System.arraycopy(data, offset, this.bytes, this.size, length);
		this.size += length;
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

	public byte[] bytes() {
		return Arrays.copyOf(this.bytes, this.size);
	}

	@Override
	public String toString() {
		return new String(this.bytes, 0, this.size, StandardCharsets.UTF_8);
	}

}
