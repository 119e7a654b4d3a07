package io.github.wasmgateway.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streams map of a VM behaves as a HashMap over the same operations: puts,
 * overwrites, removes (which must not break probing of colliding keys) and growth.
 */
class IntMapTests {

	@Test
	void behavesLikeAHashMapUnderRandomOperations() {
		Random random = new Random(42);
		for (int round = 0; round < 50; round++) {
			IntMap<String> map = new IntMap<>();
			Map<Integer, String> expected = new HashMap<>();
			for (int i = 0; i < 5000; i++) {
				// a small key range with negatives forces collisions, overwrites and
				// removals
				int key = random.nextInt(512) - 128;
				switch (random.nextInt(3)) {
					case 0, 1 -> {
						String value = "v" + i;
						map.put(key, value);
						expected.put(key, value);
					}
					default -> assertThat(map.remove(key)).isEqualTo(expected.remove(key));
				}
				assertThat(map.get(key)).isEqualTo(expected.get(key));
				assertThat(map.size()).isEqualTo(expected.size());
			}
			for (int key = -128; key < 384; key++) {
				assertThat(map.get(key)).isEqualTo(expected.get(key));
			}
			assertThat(map.values()).containsExactlyInAnyOrderElementsOf(expected.values());
		}
	}

}
