package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The compile cache's MAC is the JCE's HmacSHA256, byte for byte, so that entries written
 * before it verify, and it is the standard one.
 */
class HmacSha256Tests {

	@Test
	void givesTheRfc4231TestCase2() {
		HmacSha256 mac = new HmacSha256("Jefe".getBytes(StandardCharsets.US_ASCII));
		mac.update("what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII));
		assertThat(HexFormat.of().formatHex(mac.doFinal()))
			.isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	}

	@Test
	void givesWhatTheJceGivesForEveryKeyLength() throws Exception {
		Random random = new Random(17);
		for (int keyLength : new int[] { 1, 32, 63, 64, 65, 131 }) {
			for (int messageLength : new int[] { 0, 1, 55, 64, 1000, 100_000 }) {
				byte[] key = new byte[keyLength];
				byte[] message = new byte[messageLength + 10];
				random.nextBytes(key);
				random.nextBytes(message);
				Mac jce = Mac.getInstance("HmacSHA256");
				jce.init(new SecretKeySpec(key, "HmacSHA256"));
				HmacSha256 ours = new HmacSha256(key);
				ours.update(message, 0, 5);
				ours.update(message, 5, messageLength);
				jce.update(message, 0, messageLength + 5);
				assertThat(ours.doFinal()).as("key %d bytes, message %d bytes", keyLength, messageLength)
					.isEqualTo(jce.doFinal());
			}
		}
	}

}
