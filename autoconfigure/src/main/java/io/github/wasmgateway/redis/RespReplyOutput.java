package io.github.wasmgateway.redis;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reply to a plugin's command, written back as the RESP2 bytes Redis sent: Lettuce
 * decodes the reply and calls this output once per value ({@code setSingle} for
 * {@code +simple}, {@code set(ByteBuffer)} for {@code $bulk} and {@code $-1},
 * {@code set(long)} for {@code :integer}, {@code setError} for {@code -error},
 * {@code multiArray} for {@code *count} and {@code *-1}), and each value is encoded again
 * the one way RESP2 writes it, so the plugin reads exactly what Redis answered, nested
 * arrays and errors inside them included.
 * <p>
 * An error at the top of the reply stays a reply (status 0, as in Higress), except a
 * {@code MOVED}/{@code ASK} redirection, which Lettuce's cluster routing must see to send
 * the command to the right node; it resets this output before sending it again.
 */
final class RespReplyOutput extends CommandOutput<byte[], byte[], byte[]> {

	private static final byte[] CRLF = { '\r', '\n' };

	/** Lettuce does not hand a {@code +QUEUED} simple string to its output. */
	private static final byte[] QUEUED = "+QUEUED\r\n".getBytes(StandardCharsets.US_ASCII);

	private final long timeoutNanos;

	private byte[] bytes = new byte[64];

	private int size;

	/** Arrays started and not yet complete. */
	private int open;

	/** Whether the value being completed wrote anything. */
	private boolean written;

	private boolean done;

	RespReplyOutput(long timeoutNanos) {
		super(ByteArrayCodec.INSTANCE, null);
		this.timeoutNanos = timeoutNanos;
	}

	/** The call's timeout, which Lettuce's command expiry reads. */
	long timeoutNanos() {
		return this.timeoutNanos;
	}

	/** The whole reply; null until Lettuce has read all of it. */
	@Override
	public byte[] get() {
		return this.done ? Arrays.copyOf(this.bytes, this.size) : null;
	}

	@Override
	public void setSingle(ByteBuffer text) {
		line('+', text);
	}

	@Override
	public void set(ByteBuffer bulk) {
		if (bulk == null) {
			ascii("$-1\r\n");
		}
		else {
			ascii("$" + bulk.remaining() + "\r\n");
			append(bulk);
			append(CRLF, CRLF.length);
		}
		this.written = true;
	}

	@Override
	public void set(long integer) {
		ascii(":" + integer + "\r\n");
		this.written = true;
	}

	@Override
	public void setError(ByteBuffer error) {
		if (this.open == 0 && error != null && isRedirection(error)) {
			super.setError(error.duplicate());
		}
		line('-', error);
	}

	/**
	 * Lettuce's cluster routing clears a redirection before sending the command again.
	 */
	@Override
	public void setError(String error) {
		super.setError(error);
		if (error == null) {
			this.size = 0;
			this.open = 0;
			this.written = false;
			this.done = false;
		}
	}

	@Override
	public void multiArray(int count) {
		ascii("*" + count + "\r\n");
		this.open++;
	}

	@Override
	public void multi(int count) {
		multiArray(count);
	}

	@Override
	public void complete(int depth) {
		if (this.open > depth) {
			// an array ends (also an empty or null one)
			this.open--;
		}
		else if (!this.written) {
			append(QUEUED, QUEUED.length);
		}
		this.written = false;
		if (depth == 0) {
			this.done = true;
		}
	}

	private void line(char type, ByteBuffer text) {
		append(new byte[] { (byte) type }, 1);
		if (text != null) {
			append(text);
		}
		append(CRLF, CRLF.length);
		this.written = true;
	}

	private static boolean isRedirection(ByteBuffer error) {
		return startsWith(error, "MOVED ") || startsWith(error, "ASK ");
	}

	private static boolean startsWith(ByteBuffer buffer, String prefix) {
		if (buffer.remaining() < prefix.length()) {
			return false;
		}
		for (int i = 0; i < prefix.length(); i++) {
			if (buffer.get(buffer.position() + i) != prefix.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	private void ascii(String text) {
		int length = text.length();
		ensure(length);
		for (int i = 0; i < length; i++) {
			this.bytes[this.size++] = (byte) text.charAt(i);
		}
	}

	private void append(ByteBuffer buffer) {
		int length = buffer.remaining();
		ensure(length);
		buffer.duplicate().get(this.bytes, this.size, length);
		this.size += length;
	}

	private void append(byte[] source, int length) {
		ensure(length);
		System.arraycopy(source, 0, this.bytes, this.size, length);
		this.size += length;
	}

	private void ensure(int more) {
		if (this.size + more > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.size + more));
		}
	}

}
